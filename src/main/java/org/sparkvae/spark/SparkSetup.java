package org.sparkvae.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.io.HadoopFiles;

import java.io.IOException;

/**
 * How a job uses Spark: the master ({@code local[N]} embedded, {@code spark://host:port}, or null for
 * spark-submit's or an embedded {@code local[*]}), an optional Parquet cache directory for its DataFrames, and
 * settings given on the command line ({@code --conf key=value}, {@code --event-log DIR}), which win over every
 * other source as they do with spark-submit.
 */
public record SparkSetup(String master, String parquetCache, java.util.Map<String, String> conf) {
    public SparkSetup {
        conf = java.util.Map.copyOf(conf);
    }

    public SparkSetup(String master, String parquetCache) {
        this(master, parquetCache, java.util.Map.of());
    }

    public SparkSession session(String appName) {
        return SparkSessions.create(appName, master, conf);
    }

    /** The images as a DataFrame of {@code partitions}, through the Parquet cache when one is set. */
    public Dataset<Row> frame(SparkSession session, LabelledImages images, String split, DataMode mode, int partitions)
            throws IOException {
        return parquetCache == null
                ? MnistDataFrames.fromImages(session, images, mode, partitions)
                : MnistDataFrames.loadCached(session, images, split, mode, partitions, parquetCache);
    }

    /**
     * Whether the executors can read {@code path} themselves (the {@code idx} data source), without the Parquet
     * cache: a Hadoop path, or a local one when the master runs on this machine (embedded, or a standalone master on
     * 127.0.0.1); a local path on other hosts' executors would not exist. Decided before Spark starts.
     */
    public boolean executorsReadWithoutCache(String path) {
        if (parquetCache != null) {
            return false;
        }
        if (!HadoopFiles.isLocal(path)) {
            return true;
        }
        // Hadoop's Path reads these as URI syntax; our own readers take local names literally.
        if (path.chars().anyMatch(c -> "[]{}%<>\\^`|\"#?* :".indexOf(c) >= 0)) {
            return false;
        }
        String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        return m.startsWith("local") || m.startsWith("spark://127.0.0.1:") || m.startsWith("spark://localhost:");
    }

    /** A local path made absolute (an executor's working directory is not the driver's); Hadoop paths as they are. */
    public static String absolute(String path) {
        return HadoopFiles.isLocal(path) ? HadoopFiles.localPath(path).toAbsolutePath().toString() : path;
    }
}
