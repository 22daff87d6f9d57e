package org.sparkvae.cli;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * {@code --master}: run the job on Spark ({@code local[N]} embedded, or {@code spark://host:port}).
 * Without it the job runs on this JVM, unless spark-submit launched it (then Spark's own settings apply).
 */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Run on Spark: local[N] (embedded) or spark://host:port. Absent: this JVM (unless launched by spark-submit).")
    String master;

    boolean useSpark() {
        return master != null || System.getProperty("spark.master") != null;
    }

    SparkSession session(String appName) {
        return SparkSessions.create(appName, master);
    }
}
