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
     * The whole split of an IDX directory as a DataFrame. Read by the executors (the {@code idx} data source) when
     * they can see the path — a Hadoop path, or a local one with a master on this machine; otherwise the driver
     * reads it and ships the bytes in the tasks, as a local path on another host's executor would not exist.
     */
    Dataset<Row> splitFrame(SparkSession session, org.sparkvae.data.MnistFiles files, LabelledImages images, String split,
                            DataMode mode, int partitions) throws IOException {
        if (parquetCache == null && executorsSee(session, files.dir())) {
            // Absolute: an executor's working directory is not the driver's.
            String dir = org.sparkvae.io.HadoopFiles.isLocal(files.dir())
                    ? org.sparkvae.io.HadoopFiles.localPath(files.dir()).toAbsolutePath().toString() : files.dir();
            return MnistDataFrames.read(session, dir, split, mode, images.images().contentMd5());
        }
        return frame(session, images, split, mode, partitions);
    }

    static boolean executorsSee(SparkSession session, String path) {
        if (!org.sparkvae.io.HadoopFiles.isLocal(path)) {
            return true;
        }
        // Hadoop's Path reads these as URI syntax; our own readers take local names literally.
        if (path.chars().anyMatch(c -> "[]{}%<>\\^`|\"#?* ".indexOf(c) >= 0)) {
            return false;
        }
        String m = session.sparkContext().master();
        return m.startsWith("local") || m.startsWith("spark://127.0.0.1:") || m.startsWith("spark://localhost:");
    }

    /** One error line when a flag that means "no Spark" comes with {@code --master}. */
    void refuseWith(boolean noSpark, String flag) {
        if (noSpark && master != null) {
            throw new IllegalArgumentException(flag + " runs without Spark; drop --master " + master);
        }
    }
}
