package org.sparkvae.sweep;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.evaluate.ElboReport;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.model.Features;
import org.sparkvae.model.ModelInfo;
import org.sparkvae.model.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.train.EpochMetrics;
import org.sparkvae.train.TrainingOptions;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Trains and evaluates one sweep configuration and records its result: the model under
 * {@code models/KEY.zip}, then {@code results/KEY.json} (the result is written last, so a
 * configuration counts as finished only with its model in place). In {@code configs} mode this runs
 * inside a Spark task on one executor core; in {@code data} mode the training step is replaced by
 * parameter averaging over the cluster.
 */
public final class ConfigRun {
    /** Trains {@code vae} on x, returning the per-epoch metrics (one JVM, or Spark in data mode). */
    @FunctionalInterface
    public interface TrainStep {
        List<EpochMetrics> train(Vae vae, LabelledImages train, DataMode mode) throws Exception;
    }

    private ConfigRun() { }

    /** Single-JVM training, as in {@code configs} mode. */
    public static TrainStep singleJvm(SweepConfig c) {
        return (vae, train, mode) -> org.sparkvae.train.VaeTrainer.singleJvm(new TrainingOptions(c.epochs, c.batchSize, c.seed),
                Features.of(train, mode), false).train(vae, 1, m -> { });
    }

    /** Runs the configuration; never throws: a failure is recorded and returned as "failed: why". */
    public static String runSafely(SweepConfig c, String dataDir, String outDir, String modeName, TrainStep step) {
        SweepResults results = new SweepResults(outDir);
        String key = c.key();
        try {
            results.recordAttempt(key);
            Map<String, Object> row = run(c, dataDir, results, modeName, step);
            results.recordResult(key, row);
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

    private static Map<String, Object> run(SweepConfig c, String dataDir, SweepResults results, String modeName, TrainStep step)
            throws Exception {
        MnistFiles files = new MnistFiles(dataDir);
        LabelledImages train = files.read28x28(MnistFiles.Split.TRAIN);
        if (c.trainImages > 0 && c.trainImages < train.size()) {
            train = train.head(c.trainImages);
        }
        LabelledImages test = files.read28x28(MnistFiles.Split.TEST);
        org.sparkvae.model.VaeConfig config = c.vaeConfig();
        DataMode mode = config.likelihood().dataMode();
        Vae vae = Vae.create(config, c.seed);
        long started = System.nanoTime();
        List<EpochMetrics> history = step.train(vae, train, mode);
        double seconds = (System.nanoTime() - started) / 1e9;
        INDArray testX = Features.of(test, mode);
        ElboReport elbo = new ElboEvaluator(1000, false).evaluate(vae, testX, c.seed, true);
        Double iwae = null;
        if (c.iwaeK > 0) {
            INDArray head = testX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(c.iwaeImages, test.size())),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            iwae = new IwaeEvaluator(c.iwaeK, false).sums(vae, head, c.seed).meanNll();
        }
        List<org.sparkvae.train.EpochRecord> epochs = history.stream().map(org.sparkvae.train.EpochRecord::of).toList();
        String modelPath = results.modelPath(c.key());
        ModelStore.save(vae, new ModelInfo(config, mode.cliName(), c.dataset, dataDir, train.images().contentMd5(),
                c.epochs, c.batchSize, c.seed, org.sparkvae.io.Provenance.versions(), Instant.now().toString(), epochs),
                modelPath);
        Map<String, Object> row = SweepGrid.asMap(c);
        row.put("key", c.key());
        row.put("test_neg_elbo", elbo.negElbo());
        row.put("test_recon", elbo.recon());
        row.put("test_kl", elbo.kl());
        row.put("test_nll_iwae", iwae);
        row.put("iwae_k", c.iwaeK);
        row.put("seconds", seconds);
        row.put("mode", modeName);
        row.put("model", modelPath);
        row.put("finished_at", Instant.now().toString());
        return row;
    }
}
