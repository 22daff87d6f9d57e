package org.sparkvae.sweep;

import org.sparkvae.analysis.SweepResults;
import org.sparkvae.analysis.SweepResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.run.ElboReport;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.evaluate.SparkElboEvaluator;
import org.sparkvae.model.Features;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.spark.SplitData;
import org.sparkvae.run.EpochMetrics;
import org.sparkvae.train.SparkTrainingOptions;
import org.sparkvae.train.TrainingOptions;
import org.sparkvae.train.VaeTrainer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Trains and evaluates one sweep configuration and records its result: the model under
 * {@code models/KEY.zip}, then {@code results/KEY.json} (the result is written last, so a
 * configuration counts as finished only with its model in place). In {@code configs} mode this runs
 * inside a Spark task on one executor core and reads the files itself; in {@code data} mode the executors read
 * the data (the idx data source), train it with parameter averaging and evaluate it.
 */
public final class ConfigRun {
    /** A configuration's data and where its work runs: training, the test ELBO and the IWAE estimate. */
    public interface ConfigData {
        /** The training images' checksum (of the whole file; the configuration may train on its first images). */
        String trainMd5();

        List<EpochMetrics> train(Vae vae) throws Exception;

        ElboReport testElbo(Vae vae, long seed) throws Exception;

        /** The IWAE estimate of the test NLL over the first {@code images} test images. */
        double iwae(Vae vae, int k, int images, long seed) throws Exception;

        /** Where the model was trained, as {@code train} records it: null in one JVM. */
        default org.sparkvae.run.Topology topology() {
            return null;
        }
    }

    /** Opens a configuration's data (inside {@link #runSafely}, so a bad data directory is that configuration's failure). */
    @FunctionalInterface
    public interface DataSource {
        ConfigData open(SweepConfig c, String dataDir) throws Exception;
    }

    private ConfigRun() { }

    /** {@code configs} mode: this JVM (one executor core) reads the files, trains and evaluates. */
    public static ConfigData oneJvm(SweepConfig c, String dataDir) throws Exception {
        MnistFiles files = new MnistFiles(dataDir);
        DataMode mode = c.vaeConfig().likelihood().dataMode();
        LabelledImages all = files.read28x28(MnistFiles.Split.TRAIN);
        String md5 = all.images().contentMd5();
        LabelledImages train = c.trainImages > 0 && c.trainImages < all.size() ? all.head(c.trainImages) : all;
        INDArray testX = Features.of(files.read28x28(MnistFiles.Split.TEST), mode);
        return new ConfigData() {
            @Override
            public String trainMd5() {
                return md5;
            }

            @Override
            public List<EpochMetrics> train(Vae vae) throws Exception {
                return VaeTrainer.singleJvm(new TrainingOptions(c.epochs, c.batchSize, c.seed), Features.of(train, mode), false)
                        .train(vae, 1, m -> { });
            }

            @Override
            public ElboReport testElbo(Vae vae, long seed) {
                return new ElboEvaluator(ElboEvaluator.DEFAULT_BATCH, false).evaluate(vae, testX, seed, true);
            }

            @Override
            public double iwae(Vae vae, int k, int images, long seed) {
                INDArray head = testX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(images, testX.rows())),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                return new IwaeEvaluator(k, false).sums(vae, head, seed).meanNll();
            }
        };
    }

    /**
     * {@code data} mode: the executors read both splits where they can ({@link SplitData}), train with parameter
     * averaging over all of them and evaluate.
     */
    public static DataSource averaged(SparkSession spark, int averagingFrequency) {
        return (c, dataDir) -> {
            MnistFiles files = new MnistFiles(dataDir);
            DataMode mode = c.vaeConfig().likelihood().dataMode();
            SparkSetup setup = new SparkSetup(spark.sparkContext().master(), null);
            SplitData trainSplit = SplitData.check(files, MnistFiles.Split.TRAIN, mode, setup);
            SplitData testSplit = SplitData.check(files, MnistFiles.Split.TEST, mode, setup);
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int workers = sc.defaultParallelism();
            org.apache.spark.sql.Dataset<Row> train = c.trainImages > 0 ? trainSplit.head(spark, c.trainImages, workers)
                    : trainSplit.frame(spark, workers);
            org.apache.spark.sql.Dataset<Row> test = testSplit.frame(spark, workers);
            return new ConfigData() {
                @Override
                public String trainMd5() {
                    return trainSplit.md5();
                }

                @Override
                public org.sparkvae.run.Topology topology() {
                    return new org.sparkvae.run.Topology(spark.sparkContext().master(), workers, averagingFrequency);
                }

                @Override
                public List<EpochMetrics> train(Vae vae) throws Exception {
                    return VaeTrainer.spark(new SparkTrainingOptions(c.epochs, c.batchSize, averagingFrequency, workers, c.seed),
                            sc, train, false).train(vae, 1, m -> { });
                }

                @Override
                public ElboReport testElbo(Vae vae, long seed) {
                    return new SparkElboEvaluator(ElboEvaluator.DEFAULT_BATCH).evaluate(sc, vae, test, seed, true);
                }

                @Override
                public double iwae(Vae vae, int k, int images, long seed) throws Exception {
                    return new SparkElboEvaluator(ElboEvaluator.DEFAULT_BATCH).evaluateIwae(sc, vae, testSplit.head(spark, images, workers), seed, k).meanNll();
                }
            };
        };
    }

    /** Runs the configuration; never throws: a failure is recorded and returned as "failed: why". */
    public static String runSafely(SweepConfig c, String dataDir, String outDir, String modeName, DataSource data) {
        SweepResults results = new SweepResults(outDir);
        String key = c.key();
        try {
            results.recordAttempt(key);
            results.recordResult(run(c, dataDir, results, modeName, data.open(c, dataDir)));
            return "ok " + key;
        } catch (Throwable t) {
            String why = t.getMessage() != null ? t.getMessage() : t.toString();
            try {
                Map<String, Object> row = SweepGrid.asMap(c);
                row.put("key", key);
                row.put("error", why);
                row.put("failed_at", Instant.now().toString());
                results.recordFailure(key, row);
            } catch (Exception ignored) {
                // the returned status still reports it
            }
            return "failed " + key + ": " + why.lines().findFirst().orElse(why);
        }
    }

    private static SweepResult run(SweepConfig c, String dataDir, SweepResults results, String modeName, ConfigData data)
            throws Exception {
        org.sparkvae.model.VaeConfig config = c.vaeConfig();
        DataMode mode = config.likelihood().dataMode();
        Vae vae = Vae.create(config, c.seed);
        long started = System.nanoTime();
        List<EpochMetrics> history = data.train(vae);
        double seconds = (System.nanoTime() - started) / 1e9;
        ElboReport elbo = data.testElbo(vae, c.seed);
        Double iwae = c.iwaeK > 0 ? data.iwae(vae, c.iwaeK, c.iwaeImages, c.seed) : null;
        List<org.sparkvae.run.EpochRecord> epochs = history.stream().map(org.sparkvae.run.EpochRecord::of).toList();
        String modelPath = results.modelPath(c.key());
        ModelStore.save(vae, new ModelInfo(config, mode.cliName(), c.dataset, dataDir, data.trainMd5(),
                c.epochs, c.batchSize, c.seed, org.sparkvae.io.Provenance.versions(), Instant.now().toString(), epochs,
                data.topology()),
                modelPath);
        return c.result(elbo, iwae, seconds, modeName, modelPath);
    }
}
