package org.sparkvae.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher starts commands with the class-data archive the build made (submit/class-archive.sh at package,
 * ClassArchiveRun): the CLI's own class, Spark's and ND4J's come from the archive, not from their jars; with
 * SPARK_VAE_NO_CLASS_ARCHIVE they come from the jars and target/classes, as before.
 */
class ClassArchiveIT {
    @TempDir
    Path dir;

    /** The JVM's class-loading log of {@code submit/spark-vae --version}: one line per class, naming where it came from. */
    private ClassLoadLog classLoads(String noArchive) throws Exception {
        Path log = dir.resolve("classes" + noArchive + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of("submit", "spark-vae").toAbsolutePath().toString(), "--version")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out" + noArchive + ".log").toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_NO_CLASS_ARCHIVE", noArchive);
        ClassLoadLog.logTo(pb.environment(), log);
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out");
        String out = Files.readString(dir.resolve("out" + noArchive + ".log"));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("nd4j_build="), out);
        return ClassLoadLog.read(log);
    }

    @Test
    void commandsStartFromTheArchive() throws Exception {
        assertTrue(Files.size(Path.of("target", "spark-vae.jsa")) > 0, "the build made no archive: see target/class-archive.log");
        ClassLoadLog with = classLoads("");
        assertEquals("shared objects file (top)", with.source("org.sparkvae.cli.SparkVaeCli"));
        assertEquals("shared objects file (top)", with.source("org.apache.spark.scheduler.SparkListener"));
        assertEquals("shared objects file (top)", with.source("org.nd4j.linalg.factory.Nd4j"));
        long archived = with.lines().stream().filter(l -> l.contains("source: shared objects file (top)")).count();
        System.out.println("ClassArchiveIT: --version loaded " + archived + " of " + with.lines().size() + " classes from the archive");

        ClassLoadLog without = classLoads("1");
        assertTrue(without.source("org.sparkvae.cli.SparkVaeCli").contains("target/classes/"), without.source("org.sparkvae.cli.SparkVaeCli"));
        assertTrue(without.source("org.apache.spark.scheduler.SparkListener").contains("spark-core"), without.source("org.apache.spark.scheduler.SparkListener"));
    }
}
