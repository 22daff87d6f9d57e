package org.sparkvae.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stock Spark 3.5.9 distribution without spark-vae: $SPARK_HOME/jars resolved from Maven Central by
 * src/test/spark-dist/pom.xml (which says why the project's own scopes cannot give it), laid out once per build
 * directory and shared by ClusterJarIT (its class path) and YarnClusterIT (its SPARK_HOME).
 */
final class SparkDistribution {
    static final Path HOME = Path.of("target", "spark-dist").toAbsolutePath();
    /** The JUnit resource lock of the classes that lay out or run this distribution. */
    static final String LOCK = "spark-dist";

    private SparkDistribution() { }

    /** {@link #HOME}, laid out if it is not yet. */
    static synchronized Path home() throws Exception {
        Path jars = HOME.resolve("jars");
        if (Files.exists(HOME.resolve("RELEASE")) && Files.exists(jars.resolve("jackson-core-2.15.2.jar"))) {
            return HOME;
        }
        Path log = Path.of("target", "spark-dist.log");
        Process p = new ProcessBuilder("mvn", "-B", "-q", "-f", Path.of("src", "test", "spark-dist", "pom.xml").toString(),
                "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies", "-DoutputDirectory=" + jars)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "mvn timed out");
        assertEquals(0, p.exitValue(), Files.readString(log));
        try (var s = Files.list(jars)) {
            for (Path j : s.toList()) {
                String name = j.getFileName().toString();
                assertFalse(name.startsWith("spark-vae") || name.contains("nd4j") || name.contains("deeplearning4j"),
                        "Spark's class path holds " + name);
            }
        }
        // A distribution's marker: Spark's launcher and YARN client take $SPARK_HOME/jars as the class path.
        Files.writeString(HOME.resolve("RELEASE"), "Spark 3.5.9 (Scala 2.12) for Hadoop 3.3.4, jars from Maven Central\n");
        return HOME;
    }

    /** The distribution's class path: every jar of $SPARK_HOME/jars. */
    static String classPath() throws Exception {
        try (var s = Files.list(home().resolve("jars"))) {
            return s.map(Path::toString).sorted().collect(Collectors.joining(":"));
        }
    }
}
