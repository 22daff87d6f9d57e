package org.sparkvae.spark;

import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.IdxTestFiles;
import org.sparkvae.data.MnistFiles;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data error met by an executor ends the job at once, with the data error's own line, where Spark would retry
 * the task: {@code local[2,4]} retries a failed task as a cluster does (up to 4 attempts).
 */
class FailFastTest {
    @TempDir
    Path dir;

    /** Counts the task attempts of {@code session} that end in an exception. */
    private static AtomicInteger failedTasks(SparkSession session) {
        AtomicInteger failed = new AtomicInteger();
        session.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof ExceptionFailure) {
                    failed.incrementAndGet();
                }
            }
        });
        return failed;
    }

    /** Reads labels declared as 7 classes (the files hold 0..9) and returns the failed attempts and the error. */
    private int failedAttempts(SparkSession session, String[] message) throws Exception {
        AtomicInteger failed = failedTasks(session);
        Exception e = assertThrows(Exception.class, () -> session.read().format("idx").option("classes", "7")
                .option("recordsPerPartition", "30").load(dir.toString()).select("label").collectAsList());
        message[0] = FailFast.message(e.getMessage());
        session.sparkContext().listenerBus().waitUntilEmpty();
        return failed.get();
    }

    @Test
    void aDataErrorIsNotRetried() throws Exception {
        IdxTestFiles.writeDataset(dir, 30, 5); // labels 0..9, one partition
        String[] message = new String[1];
        // Spark alone: four attempts of a task that can only fail.
        try (SparkSession plain = SparkSession.builder().master("local[2,4]").appName("retries")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            assertEquals(4, failedAttempts(plain, message));
        }
        try (SparkSession session = SparkSessions.create("fail-fast", "local[2,4]", java.util.Map.of())) {
            int attempts = failedAttempts(session, message);
            // The cancellation races the first retry (the listener runs on Spark's event thread), never all of them.
            assertTrue(attempts >= 1 && attempts < 4, "failed attempts: " + attempts);
            assertEquals(dir.resolve(MnistFiles.TRAIN_LABELS) + ": label 7 of record 7 is outside the declared 7 classes (0..6)",
                    message[0]);
        }
    }

    @Test
    void otherMessagesAreLeftAlone() {
        assertEquals("x: y", FailFast.message("Job 12 cancelled because x: y"));
        assertEquals("Job aborted due to stage failure", FailFast.message("Job aborted due to stage failure"));
        assertEquals(null, FailFast.message(null));
    }

    /** Spark 3.5's YarnAllocator text for a container YARN killed over its memory limits, as ExecutorLostFailure carries it. */
    @Test
    void aYarnMemoryKillNamesTheSettingToRaise() {
        String pmem = FailFast.memoryKill("2", "Container killed by YARN for exceeding physical memory limits. "
                + "1.1 GB of 1 GB physical memory used. Consider boosting spark.executor.memoryOverhead.");
        assertTrue(pmem.startsWith("YARN killed executor 2 for exceeding its memory limit (1.1 GB of 1 GB physical memory used): "), pmem);
        assertTrue(pmem.contains("spark.executor.memoryOverhead") && pmem.contains("README: On a YARN cluster"), pmem);
        String vmem = FailFast.memoryKill("1", "Container killed by YARN for exceeding virtual memory limits. "
                + "5.3 GB of 2.1 GB virtual memory used. Consider boosting spark.executor.memoryOverhead or disabling "
                + "yarn.nodemanager.vmem-check-enabled because of YARN-4714.");
        assertTrue(vmem.contains("(5.3 GB of 2.1 GB virtual memory used)") && vmem.contains("yarn.nodemanager.vmem-check-enabled=false"), vmem);
        // A container lost for any other reason (a killed JVM, a lost node) is left to Spark's retries.
        assertEquals(null, FailFast.memoryKill("3", "Container marked as failed: container_1_0001_01_000002 on host: 127.0.0.1. "
                + "Exit status: 137. Diagnostics: [2026-12-03 07:00:00.000]Container killed on request. Exit code is 137"));
    }

    /**
     * An executor that ended itself on an OutOfMemoryError (Spark's exit code 52) before its task's failure reached the
     * driver: the heap line, from the reason YARN's allocator gives (Spark 3.5's text). Other exits stay Spark's to retry.
     */
    @Test
    void anExecutorGoneWithSparksOomExitCodeNamesTheHeapSetting() {
        String heap = FailFast.executorLost("4", "Container from a bad node: container_1_0003_01_000005 on host: localhost. "
                + "Exit status: 52. Diagnostics: [2026-12-06 17:53:53.203]Exception from container-launch.");
        assertTrue(heap.startsWith("executor 4 ran out of Java heap (its JVM exited with code 52"), heap);
        assertTrue(heap.contains("raise spark.executor.memory"), heap);
        assertTrue(FailFast.executorLost("2", "Command exited with code 52").startsWith("executor 2 ran out of Java heap"));
        assertTrue(FailFast.executorLost("2", "Container killed by YARN for exceeding physical memory limits. "
                + "1.1 GB of 1 GB physical memory used.").startsWith("YARN killed executor 2"));
        assertEquals(null, FailFast.executorLost("3", "Container from a bad node: container_1_0003_01_000004 on host: localhost. "
                + "Exit status: 143. Diagnostics: Container killed on request. Exit code is 143"));
        assertEquals(null, FailFast.executorLost("3", "Exit status: 520. Diagnostics: x"));
    }

    /** A truncated Parquet part file (any Spark source, not only IDX): ended at its first failure, in its own words. */
    @Test
    void aDamagedParquetFileIsNotRetried() throws Exception {
        Path rows = dir.resolve("rows");
        try (SparkSession session = SparkSessions.create("fail-fast-parquet", "local[2,4]", java.util.Map.of())) {
            session.range(0, 1000).selectExpr("id", "cast(id as double) / 1000 as x").repartition(2).write().parquet(rows.toString());
            Path part;
            try (var files = java.nio.file.Files.list(rows)) {
                part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            }
            try (var ch = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(java.nio.file.Files.size(part) / 2);
            }
            java.nio.file.Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
            AtomicInteger failed = failedTasks(session);
            Exception e = assertThrows(Exception.class, () -> session.read().parquet(rows.toString()).collectAsList());
            session.sparkContext().listenerBus().waitUntilEmpty();
            assertTrue(failed.get() >= 1 && failed.get() < 4, "failed attempts: " + failed.get());
            // as the CLI's describe: the data error inside Spark's wrapper, or the line the cancellation carries
            String line = FailFast.dataError(e) != null ? FailFast.dataError(e) : FailFast.message(e.getMessage());
            assertTrue(line.contains(part.getFileName().toString()) || line.contains("Parquet") || line.contains("parquet"), line);
            assertTrue(!line.startsWith("Job aborted") && !line.contains("\n"), line);
            System.out.println("FailFastTest: damaged Parquet, " + failed.get() + " failed attempt(s): " + line);
        }
    }

    @Test
    void aDataErrorIsFoundInsideSparksWrapper() {
        String trace = "org.apache.spark.SparkException: [FAILED_READ_FILE] Error while reading file file:/d/part-0.parquet.\n"
                + "\tat org.apache.spark.sql.errors.QueryExecutionErrors$.cannotReadFilesError(QueryExecutionErrors.scala:1)\n"
                + "Caused by: java.lang.RuntimeException: file:/d/part-0.parquet is not a Parquet file. Expected magic number at tail, but found [1, 2, 3, 4]\n"
                + "\tat org.apache.parquet.hadoop.ParquetFileReader.readFooter(ParquetFileReader.java:1)\n";
        assertEquals("file:/d/part-0.parquet is not a Parquet file. Expected magic number at tail, but found [1, 2, 3, 4]",
                FailFast.dataError("org.apache.spark.SparkException", "x", trace));
        // a lost executor, an out-of-memory error: left to Spark's retries
        assertEquals(null, FailFast.dataError("org.apache.spark.SparkException", "x",
                "org.apache.spark.SparkException: x\nCaused by: java.lang.OutOfMemoryError: Java heap space\n"));
        assertEquals("bad header", FailFast.dataError("org.sparkvae.data.IdxFormatException", "bad header", ""));
    }
}
