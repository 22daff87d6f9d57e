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

    /** Reads labels declared as 7 classes (the files hold 0..9) and returns the failed attempts and the error. */
    private int failedAttempts(SparkSession session, String[] message) throws Exception {
        AtomicInteger failed = new AtomicInteger();
        session.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof ExceptionFailure) {
                    failed.incrementAndGet();
                }
            }
        });
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
}
