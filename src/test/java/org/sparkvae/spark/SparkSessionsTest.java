package org.sparkvae.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkSessionsTest {
    /** A user's own Spark plugin (does nothing). */
    public static final class Mine implements org.apache.spark.api.plugin.SparkPlugin {
        @Override
        public org.apache.spark.api.plugin.DriverPlugin driverPlugin() {
            return null;
        }

        @Override
        public org.apache.spark.api.plugin.ExecutorPlugin executorPlugin() {
            return null;
        }
    }

    /** Executors get one OpenMP thread per CPU their task holds, unless the user set the count. */
    @Test
    void executorThreadsFollowTheTaskCpus() {
        assertEquals("1", SparkSessions.ompThreads(new SparkConf(false)));
        assertEquals("4", SparkSessions.ompThreads(new SparkConf(false).set("spark.task.cpus", "4")));
        try (SparkSession s = SparkSessions.create("threads", "local[1]", Map.of("spark.task.cpus", "1"))) {
            SparkConf c = s.sparkContext().getConf();
            assertEquals("1", c.get("spark.executorEnv.OMP_NUM_THREADS"));
            // Every session selects its executors' ND4J build, keeping a user's own plugins.
            assertEquals(org.sparkvae.backend.NativeBuild.Plugin.class.getName(), c.get("spark.plugins"));
        }
        try (SparkSession s = SparkSessions.create("threads", "local[1]", Map.of("spark.executorEnv.OMP_NUM_THREADS", "3",
                "spark.plugins", Mine.class.getName()))) {
            SparkConf c = s.sparkContext().getConf();
            assertEquals("3", c.get("spark.executorEnv.OMP_NUM_THREADS"));
            assertEquals(java.util.List.of(Mine.class.getName(), org.sparkvae.backend.NativeBuild.Plugin.class.getName()),
                    Arrays.asList(c.get("spark.plugins").split(",")));
        }
    }
    /**
     * Executors never get Spark-on-YARN's {@code kill %p} on a heap OOM: the empty flag is added to whatever executor
     * options the user gave (which replace conf/spark-defaults.conf's), and a user's own OOM command is kept.
     */
    @Test
    void executorsKeepNoOomKillCommandWhateverOptionsTheUserGives() {
        assertEquals("-XX:OnOutOfMemoryError=", SparkSessions.withoutOomKill(""));
        assertEquals("-Xss4m -XX:OnOutOfMemoryError=", SparkSessions.withoutOomKill(" -Xss4m "));
        assertEquals("-XX:OnOutOfMemoryError='echo oom' -Xss4m",
                SparkSessions.withoutOomKill("-XX:OnOutOfMemoryError='echo oom' -Xss4m"));
        try (SparkSession s = SparkSessions.create("oom", "local[1]", Map.of(SparkSessions.EXECUTOR_JAVA_OPTIONS,
                "-Dmine=1"))) {
            // (Spark's context puts its Java module flags in front.)
            String options = s.sparkContext().getConf().get(SparkSessions.EXECUTOR_JAVA_OPTIONS);
            assertTrue(options.endsWith(" -Dmine=1 -XX:OnOutOfMemoryError="), options);
            assertEquals(1, options.split("-XX:OnOutOfMemoryError", -1).length - 1, options);
        }
    }

    /**
     * Stopping a session silences Spark's RPC request handler while the context stops (its late "Could not find
     * CoarseGrainedScheduler" after a cancelled stage is shutdown noise), and only then: the level is back afterwards.
     */
    @Test
    void stopSilencesSparksShutdownRaceOnlyWhileStopping() {
        String handler = "org.apache.spark.network.server.TransportRequestHandler";
        org.apache.logging.log4j.Logger logger = org.apache.logging.log4j.LogManager.getLogger(handler);
        org.apache.logging.log4j.Level before = logger.getLevel();
        SparkSession s = TestSpark.local("stop", 1);
        java.util.concurrent.atomic.AtomicReference<Boolean> errorsDuringStop = new java.util.concurrent.atomic.AtomicReference<>();
        s.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onApplicationEnd(org.apache.spark.scheduler.SparkListenerApplicationEnd end) {
                errorsDuringStop.set(logger.isErrorEnabled());
            }
        });
        assertEquals(true, logger.isErrorEnabled());
        SparkSessions.stop(s);
        assertEquals(false, errorsDuringStop.get(), "silent while the context stops");
        assertEquals(true, s.sparkContext().isStopped());
        assertEquals(before, logger.getLevel(), "restored");
        assertEquals(true, logger.isErrorEnabled());
    }
}
