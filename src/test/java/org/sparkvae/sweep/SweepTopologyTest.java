package org.sparkvae.sweep;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.run.Topology;
import org.sparkvae.spark.SparkSessions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep's models record where they were trained as {@code train}'s do: an averaged configuration its Spark master,
 * workers and averaging frequency, a one-JVM one none. (Before, ConfigRun saved every model through ModelInfo's
 * one-JVM constructor, so an averaged sweep's models recorded no topology.)
 */
class SweepTopologyTest {
    private static final String SLICE = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();

    @TempDir
    Path dir;

    private static SweepConfig config() {
        return SweepConfigs.small(256);
    }

    private ModelInfo savedInfo(Path out) throws Exception {
        try (Stream<Path> files = Files.walk(out)) {
            Path zip = files.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
            return ModelStore.load(zip).info();
        }
    }

    @Test
    void averagedModelsRecordTheirTopologyAndOneJvmModelsNone() throws Exception {
        Path averagedOut = Files.createDirectories(dir.resolve("averaged"));
        try (SparkSession spark = SparkSessions.create("sweep-topology", "local[2]", Map.of())) {
            String status = ConfigRun.runSafely(config(), SLICE, averagedOut.toString(), "averaged", ConfigRun.averaged(spark, 50));
            assertTrue(status.startsWith("ok "), status);
        }
        assertEquals(new Topology("local[2]", 2, 50), savedInfo(averagedOut).distribution());

        Path oneJvmOut = Files.createDirectories(dir.resolve("one-jvm"));
        String status = ConfigRun.runSafely(config(), SLICE, oneJvmOut.toString(), "one-jvm", ConfigRun.oneJvm());
        assertTrue(status.startsWith("ok "), status);
        assertNull(savedInfo(oneJvmOut).distribution());
    }
}
