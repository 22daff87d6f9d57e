package org.sparkvae.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistDataFrames;

import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * The Spark options shared by the jobs. {@code --master} picks the Spark master ({@code local[N]}
 * embedded, or {@code spark://host:port}); without it the job runs on an embedded {@code local[*]},
 * unless spark-submit launched it (then Spark's own settings apply). {@code --parquet-cache} keeps
 * the job's DataFrame.
 */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N] (embedded) or spark://host:port (default: local[*], or spark-submit's).")
    String master;

    @Option(names = "--parquet-cache", paramLabel = "DIR",
            description = "Spark: keep the converted DataFrame as Parquet under DIR (any Hadoop path) and reuse it next time.")
    String parquetCache;

    SparkSession session(String appName) {
        return SparkSessions.create(appName, master);
    }

    /** The images as a DataFrame of {@code partitions}, through the Parquet cache when {@code --parquet-cache} is set. */
    Dataset<Row> frame(SparkSession session, LabelledImages images, String split, DataMode mode, int partitions)
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
    boolean executorsReadWithoutCache(String path) {
        if (parquetCache != null) {
            return false;
        }
        if (!org.sparkvae.io.HadoopFiles.isLocal(path)) {
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
    static String absolute(String path) {
        return org.sparkvae.io.HadoopFiles.isLocal(path)
                ? org.sparkvae.io.HadoopFiles.localPath(path).toAbsolutePath().toString() : path;
    }

    /** One error line when a flag that means "no Spark" comes with {@code --master}. */
    void refuseWith(boolean noSpark, String flag) {
        if (noSpark && master != null) {
            throw new IllegalArgumentException(flag + " runs without Spark; drop --master " + master);
        }
    }
}
