package org.sparkvae.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session builder of the tests (Spark's own {@code MLlibTestSparkContext} is the pattern): an embedded
 * master of {@code threads} threads, bound to 127.0.0.1, without the web UI; with ND4J's Kryo registrator where
 * arrays travel. Callers stop it (try-with-resources or {@code @AfterAll}).
 */
public final class TestSpark {
    /**
     * The JUnit resource lock of the integration-test classes that start Spark in the test JVM (a session of their
     * own, or a CLI job run in-process): Spark allows one SparkContext per JVM, and {@code getOrCreate} would hand one
     * class's session to another, which would then stop it. Failsafe runs the other IT classes side by side.
     */
    public static final String LOCK = "spark-context-of-the-test-jvm";

    private TestSpark() { }

    /** {@code local[threads]} on loopback, no UI. */
    public static SparkSession.Builder builder(String app, int threads) {
        return SparkSession.builder().master("local[" + threads + "]").appName(app)
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
    }

    public static SparkSession local(String app, int threads) {
        return builder(app, threads).getOrCreate();
    }

    /** As {@link #local}, with Kryo and ND4J's registrator (the project's own setting for jobs that ship arrays). */
    public static SparkSession withNd4j(String app, int threads) {
        return builder(app, threads).config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator").getOrCreate();
    }
}
