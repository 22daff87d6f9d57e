package org.sparkvae.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.data.source.IdxChecksum;
import org.sparkvae.spark.SparkSessions;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sparkvae.io.WorkDirs;

/**
 * Load time of a training split, old path against new, in one run: "driver" reads and checks the IDX pair on the
 * driver and ships the bytes in the tasks (MnistDataFrames.fromImages, what every job did before the data source);
 * "executors" has one executor task compute the checksum and the executors read their record ranges through the
 * idx data source. Both then sum every pixel of the same {@code array<float>} column, so the time covers reading,
 * converting and one pass over the data. Args: dataDir [master=local[2]] [runs=3] [copies=0]: with copies > 0 the
 * split is the directory's test set tiled that many times (100: a million images, 784 MB), written to a
 * temporary directory and deleted afterwards.
 */
public final class LoadBenchmark {
    public static void main(String[] args) throws Exception {
        String dir = args[0];
        String master = args.length > 1 ? args[1] : "local[2]";
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int copies = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Path tiled = copies > 0 ? tile(Path.of(dir), copies, WorkDirs.create("load")) : null;
        String data = tiled != null ? tiled.toString() : Path.of(dir).toAbsolutePath().toString();
        try {
            long t0 = System.nanoTime();
            SparkSession spark = SparkSessions.create("spark-vae load benchmark", master);
            System.out.printf(Locale.ROOT, "Spark start-up %.1f s (%s, %d cores)%n", (System.nanoTime() - t0) / 1e9, master,
                    Runtime.getRuntime().availableProcessors());
            int parts = spark.sparkContext().defaultParallelism();
            for (int i = 1; i <= runs; i++) {
                for (String path : new String[] {"driver", "executors"}) {
                    long start = System.nanoTime();
                    Dataset<Row> frame;
                    if (path.equals("driver")) {
                        frame = MnistDataFrames.fromImages(spark, new MnistFiles(data).read28x28(MnistFiles.Split.TRAIN),
                                DataMode.CONTINUOUS, parts);
                    } else {
                        String md5 = IdxChecksum.md5(spark, new MnistFiles(data).resolve(MnistFiles.TRAIN_IMAGES));
                        frame = MnistDataFrames.read(spark, data, "train", DataMode.CONTINUOUS, md5, 0);
                    }
                    Row r = frame.selectExpr("aggregate(features, CAST(0 AS DOUBLE), (acc, x) -> acc + x) AS s")
                            .agg(org.apache.spark.sql.functions.sum("s"), org.apache.spark.sql.functions.count("s")).first();
                    System.out.printf(Locale.ROOT, "run %d %-9s %8d images  %6.2f s  (pixel sum %.1f)%n", i, path, r.getLong(1),
                            (System.nanoTime() - start) / 1e9, r.getDouble(0));
                }
            }
            spark.stop();
        } finally {
            if (tiled != null) {
                org.apache.commons.io.FileUtils.deleteQuietly(tiled.toFile());
            }
        }
    }

    /**
     * {@code dir}'s (uncompressed, 28x28) test set repeated {@code copies} times, written as a train-* pair into
     * {@code out}; returns {@code out}. A large real-looking data set for benchmarks and the scale test.
     */
    public static Path tile(Path dir, int copies, Path out) throws java.io.IOException {
        byte[] pixels = Files.readAllBytes(dir.resolve(MnistFiles.TEST_IMAGES));
        byte[] labels = Files.readAllBytes(dir.resolve(MnistFiles.TEST_LABELS));
        int n = (pixels.length - 16) / 784 * copies;
        try (DataOutputStream im = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out.resolve(MnistFiles.TRAIN_IMAGES)), 1 << 20));
             DataOutputStream lb = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out.resolve(MnistFiles.TRAIN_LABELS)), 1 << 20))) {
            im.writeInt(0x803);
            im.writeInt(n);
            im.writeInt(28);
            im.writeInt(28);
            lb.writeInt(0x801);
            lb.writeInt(n);
            for (int c = 0; c < copies; c++) {
                im.write(pixels, 16, pixels.length - 16);
                lb.write(labels, 8, labels.length - 8);
            }
        }
        return out;
    }
}
