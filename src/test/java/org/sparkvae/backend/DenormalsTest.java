package org.sparkvae.backend;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.spark.SparkSessions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FTZ/DAZ reach every thread that computes: this test thread, the CLI's thread, and Spark's task threads, which
 * start with HotSpot's standard MXCSR and get the bits only from the plugin's {@code onTaskStart}. This machine is
 * x86-64 glibc (the CI machines are), so the bits must be readable here.
 */
class DenormalsTest {
    private static final float SUBNORMAL = 1e-39f;
    private static final int BITS = Denormals.FTZ | Denormals.DAZ;

    @AfterEach
    void flushAgain() {
        Denormals.applyHere(Denormals.Mode.FLUSH);
    }

    @Test
    void theTestThreadFlushesAsTheCliWould() {
        // set by TestNativeBuild before the first test: no native frame between it and this method
        assertEquals(BITS, Denormals.mxcsr().orElseThrow() & BITS);
        assertEquals(Denormals.Mode.FLUSH, Denormals.current());
    }

    @Test
    void theModeReachesNd4jsArithmeticOnThisThread() {
        assertEquals(Denormals.Mode.KEEP, Denormals.applyHere(Denormals.Mode.KEEP));
        assertEquals(0, Denormals.mxcsr().orElseThrow() & BITS);
        assertEquals(SUBNORMAL * 3f, Nd4j.createFromArray(SUBNORMAL).muli(3f).getFloat(0), 0f);
        assertEquals(Denormals.Mode.FLUSH, Denormals.applyHere(Denormals.Mode.FLUSH));
        // DAZ: the subnormal operand is read as zero by libnd4j's kernel
        assertEquals(0f, Nd4j.createFromArray(SUBNORMAL).muli(3f).getFloat(0), 0f);
        // only the two bits change: rounding and exception masks stay
        int m = Denormals.mxcsr().orElseThrow();
        Denormals.applyHere(Denormals.Mode.KEEP);
        assertEquals(m & ~BITS, Denormals.mxcsr().orElseThrow());
    }

    @Test
    void settings() {
        assertEquals(Denormals.Mode.FLUSH, Denormals.requested(null));
        assertEquals(Denormals.Mode.FLUSH, Denormals.requested("flush"));
        assertEquals(Denormals.Mode.KEEP, Denormals.requested("KEEP"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Denormals.requested("off"));
        assertEquals("SPARK_VAE_DENORMALS must be flush or keep, got 'off'", e.getMessage());
    }

    @Test
    void theCliSetsItOnItsOwnThread() {
        Denormals.applyHere(Denormals.Mode.KEEP);
        assertEquals(0, org.sparkvae.cli.SparkVaeCli.run("fetch-data", "--help"));
        assertEquals(BITS, Denormals.mxcsr().orElseThrow() & BITS, "the CLI's entry point set FTZ|DAZ");
    }

    @Test
    void sparkTaskThreadsFlushThroughThePlugin() {
        try (SparkSession s = SparkSessions.create("denormals", "local[2]", Map.of())) {
            List<Integer> seen = tasks(s);
            assertEquals(4, seen.size());
            for (int bits : seen) {
                assertEquals(BITS, bits, "a task thread's MXCSR bits: " + seen);
            }
        }
        // Without the plugin (a plain session), the same task threads keep Java's standard MXCSR: the check can fail.
        try (SparkSession s = SparkSession.builder().master("local[2]").appName("plain")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            assertTrue(tasks(s).stream().allMatch(b -> b == 0), "without the plugin: " + tasks(s));
        }
    }

    /** Each of 4 tasks' FTZ|DAZ bits, and whether libnd4j flushed a subnormal there (-1 if not). */
    private static List<Integer> tasks(SparkSession s) {
        return JavaSparkContext.fromSparkContext(s.sparkContext()).parallelize(List.of(1, 2, 3, 4), 4)
                .map(i -> {
                    int bits = Denormals.mxcsr().orElse(-1) & BITS;
                    float product = Nd4j.createFromArray(SUBNORMAL).muli(3f).getFloat(0);
                    return (bits == BITS) == (product == 0f) ? bits : -1;
                }).collect();
    }
}
