package org.sparkvae.io;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trust issue row 9: the local scratch space of a killed job ({@code /tmp/spark-vae-PID@HOST-report-...}, which
 * SIGKILL leaves behind) is removed by the next job on the host; a live process's and another host's stay.
 */
class WorkDirsTest {
    @Test
    void aNewScratchDirectoryRemovesThoseOfDeadProcessesOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String host = AtomicFiles.WRITER.substring(AtomicFiles.WRITER.indexOf('@'));
        Path dead = Files.createDirectories(tmp.resolve("spark-vae-" + gone.pid() + host + "-report-123"));
        Files.writeString(dead.resolve("reconstructions.png"), "half a figure");
        Path deadFile = Files.writeString(tmp.resolve("spark-vae-" + gone.pid() + host + "-77.tmp"), "half a metrics file");
        Path otherHost = Files.createDirectories(tmp.resolve("spark-vae-" + gone.pid() + "@elsewhere-report-1"));
        Path longerHost = Files.createDirectories(tmp.resolve("spark-vae-" + gone.pid() + host + "x-report-1"));
        Path unmarked = Files.createDirectories(tmp.resolve("spark-vae-report-" + gone.pid()));
        Path mine = null;
        try {
            mine = WorkDirs.create("project");
            assertTrue(mine.getFileName().toString().startsWith("spark-vae-" + AtomicFiles.WRITER + "-project-"), mine.toString());
            assertFalse(Files.exists(dead), "a killed job's scratch directory is removed");
            assertFalse(Files.exists(deadFile), "and its scratch files");
            assertTrue(Files.exists(otherHost) && Files.exists(longerHost) && Files.exists(unmarked), "others are kept");
            assertEquals(0, WorkDirs.deleteDeadProcessesScratch(), "a live process's (this one's) scratch stays");
            assertTrue(Files.exists(mine));
        } finally {
            for (Path p : new Path[] {dead, deadFile, otherHost, longerHost, unmarked, mine}) {
                if (p != null) {
                    org.apache.commons.io.FileUtils.deleteQuietly(p.toFile());
                }
            }
        }
    }

    /** An embedded Spark keeps its block and shuffle files in a work directory of this process (removed as above). */
    @Test
    void anEmbeddedSparkKeepsItsScratchInAWorkDirectory() {
        org.apache.spark.sql.SparkSession spark = org.sparkvae.spark.SparkSessions.create("scratch-test", "local[1]");
        try {
            Path local = Path.of(spark.sparkContext().getConf().get("spark.local.dir"));
            assertTrue(local.getFileName().toString().startsWith("spark-vae-" + AtomicFiles.WRITER + "-spark-"), local.toString());
            assertTrue(Files.isDirectory(local));
            assertEquals(1L, spark.range(10).repartition(2).filter("id = 3").count(), "a shuffle writes its files there");
        } finally {
            spark.stop();
        }
    }
}
