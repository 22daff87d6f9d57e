package org.sparkvae.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the SparkSession of a job. Under spark-submit the master and settings come from it; run
 * directly, {@code --master} picks one ({@code local[*]}: an embedded Spark in this JVM). Kryo with
 * ND4J's registrator serialises the arrays DL4J ships between driver and executors.
 *
 * <p>Nothing listens off loopback unasked: with a local or loopback master the driver and its block
 * manager bind to 127.0.0.1, and the UI (which Spark binds to {@code SPARK_LOCAL_IP}, else to every
 * interface) is off unless {@code SPARK_LOCAL_IP} says where it may listen. A remote master binds where
 * Spark would; that is what asking otherwise means.
 */
public final class SparkSessions {
    private static final Pattern STANDALONE_HOST = Pattern.compile("spark://(\\[[^]]*]|[^:/,]+)(:\\d+)?.*");

    private SparkSessions() { }

    public static SparkSession create(String appName, String master) {
        SparkConf conf = new SparkConf(true);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        String url = conf.get("spark.master");
        boolean local = url.startsWith("local");
        // SparkSubmit sets this property; without it (and without spark.jars) the executors of a cluster
        // never get the application's classes and every task fails four times with ClassNotFound.
        if (!local && System.getProperty("SPARK_SUBMIT") == null && !conf.contains("spark.jars")) {
            throw new IllegalArgumentException("--master " + url + ": a cluster's executors need the application jar; "
                    + "run it through submit/spark-submit.sh --master " + url + " SUBCOMMAND ...");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        if (local || isLoopback(url)) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            if (local || System.getenv("SPARK_LOCAL_IP") == null) {
                conf.setIfMissing("spark.ui.enabled", "false");
            }
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** Whether a standalone master URL names this machine's loopback interface. */
    public static boolean isLoopback(String masterUrl) {
        Matcher m = STANDALONE_HOST.matcher(masterUrl);
        if (!m.matches()) {
            return false;
        }
        String host = m.group(1);
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("[::1]");
    }
}
