package org.sparkvae.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.analysis.ProjectionJob;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.model.store.ModelStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code project} job (encode the 10k test images on the executors, MLlib PCA, Parquet, scatter)
 * timed after Spark is up, on an embedded master. Args: model dataDir [master=local[2]] [runs=3].
 * The first run includes JIT warm-up; Spark's start-up is reported separately.
 */
public final class ProjectionBenchmark {
    public static void main(String[] args) throws Exception {
        String model = args[0];
        String dir = args.length > 1 ? args[1] : "data/mnist";
        String master = args.length > 2 ? args[2] : "local[2]";
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        ModelStore.Loaded loaded = ModelStore.load(model);
        LabelledImages test = new MnistFiles(dir).read28x28(MnistFiles.Split.TEST);
        DataMode mode = loaded.dataMode();
        long t0 = System.nanoTime();
        SparkSession spark = SparkSession.builder().master(master).appName("projection-benchmark")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.executorEnv.OMP_NUM_THREADS", "1").getOrCreate();
        System.out.printf(Locale.ROOT, "cores=%d master=%s model=%s (%s)%nSpark start-up: %.1f s%n",
                Runtime.getRuntime().availableProcessors(), master, model, loaded.vae().config().describe(), (System.nanoTime() - t0) / 1e9);
        Path out = Files.createTempDirectory("projection-bench-");
        try {
            for (int i = 1; i <= runs; i++) {
                Dataset<Row> frame = MnistDataFrames.fromImages(spark, test, mode, spark.sparkContext().defaultParallelism());
                ProjectionJob.Summary s = ProjectionJob.run(spark, loaded, frame, i, out.resolve("run-" + i).toString());
                System.out.printf(Locale.ROOT, "run %d: %d images, M=%d, %.2f s (encode + PCA + Parquet + scatter)%s%n", i, s.n(),
                        s.latentDim(), s.seconds(), i == 1 ? " [includes JIT warm-up]" : "");
            }
        } finally {
            spark.stop();
            org.apache.commons.io.FileUtils.deleteQuietly(out.toFile());
        }
    }
}
