package org.sparkvae.cli;

import org.sparkvae.spark.SparkSetup;

import picocli.CommandLine.Option;

/**
 * The Spark options shared by the jobs. {@code --master} picks the Spark master ({@code local[N]}
 * embedded, or {@code spark://host:port}); without it the job runs on an embedded {@code local[*]},
 * unless spark-submit launched it (then Spark's own settings apply). {@code --parquet-cache} keeps
 * the job's DataFrame. What they mean lives in {@link SparkSetup}.
 */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N] (embedded) or spark://host:port (default: local[*], or spark-submit's).")
    String master;

    @Option(names = "--parquet-cache", paramLabel = "DIR",
            description = "Spark: keep the converted DataFrame as Parquet under DIR (any Hadoop path) and reuse it next time.")
    String parquetCache;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting, as spark-submit's --conf (repeatable); wins over conf/spark-defaults.conf.")
    java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

    @Option(names = "--event-log", paramLabel = "DIR",
            description = "Write Spark's event log to DIR (any Hadoop path), for Spark's History Server.")
    String eventLog;

    SparkSetup setup() {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        if (eventLog != null) {
            settings.put("spark.eventLog.enabled", "true");
            settings.put("spark.eventLog.dir", eventLog);
        }
        for (java.util.Map.Entry<String, String> e : conf.entrySet()) {
            if (!e.getKey().startsWith("spark.")) {
                throw new IllegalArgumentException("--conf " + e.getKey() + "=" + e.getValue() + ": Spark's settings start with spark.");
            }
            settings.put(e.getKey(), e.getValue());
        }
        return new SparkSetup(master, parquetCache, settings);
    }

    /** One error line when a flag that means "no Spark" comes with {@code --master}. */
    void refuseWith(boolean noSpark, String flag) {
        if (noSpark && master != null) {
            throw new IllegalArgumentException(flag + " runs without Spark; drop --master " + master);
        }
    }
}
