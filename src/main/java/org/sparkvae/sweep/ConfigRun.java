package org.sparkvae.sweep;

import org.apache.spark.sql.SparkSession;
import org.sparkvae.analysis.SweepResult;
import org.sparkvae.analysis.SweepResults;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.exec.ExecutionBackend;
import org.sparkvae.exec.LocalBackend;
import org.sparkvae.exec.ModelProvenance;
import org.sparkvae.exec.SparkBackend;
import org.sparkvae.exec.TrainingData;
import org.sparkvae.exec.TrainingSettings;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains and evaluates one sweep configuration and records its result: the model under
 * {@code models/KEY.zip}, then {@code results/KEY.json} (the result is written last, so a
 * configuration counts as finished only with its model in place). In {@code configs} mode this runs
 * inside a Spark task on one executor core and reads the files itself; in {@code data} mode the executors read
 * the data (the idx data source), train it with parameter averaging and evaluate it.
 */
public final class ConfigRun {
    /**
     * Where a configuration's work runs ({@code backend}, opened once per configuration) and, on Spark, how many
     * workers average its training ({@code null}: the backend's default) every {@code averagingFrequency} minibatches.
     */
    public record Execution(Supplier<ExecutionBackend> backend, Integer workers, int averagingFrequency) {
    }

    private ConfigRun() { }

    /** {@code configs} mode: this JVM (one executor core) reads the files, trains and evaluates. */
    public static Execution oneJvm() {
        return new Execution(() -> new LocalBackend(false), null, 1);
    }

    /**
     * {@code data} mode: the executors read both splits where they can, train with parameter averaging over all of
     * them and evaluate.
     */
    public static Execution averaged(SparkSession spark, int averagingFrequency) {
        return new Execution(() -> SparkBackend.on(spark, false), spark.sparkContext().defaultParallelism(), averagingFrequency);
    }

    /** Runs the configuration; never throws: a failure is recorded and returned as "failed: why". */
    public static String runSafely(SweepConfig c, String dataDir, String outDir, String modeName, Execution execution) {
        SweepResults results = new SweepResults(outDir);
        String key = c.key();
        try {
            results.recordAttempt(key);
            results.recordResult(run(c, dataDir, results, modeName, execution));
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

    private static SweepResult run(SweepConfig c, String dataDir, SweepResults results, String modeName, Execution execution)
            throws Exception {
        VaeConfig config = c.vaeConfig();
        DataMode mode = config.likelihood().dataMode();
        TrainingSettings settings = new TrainingSettings(c.epochs, c.batchSize, c.seed, execution.workers(),
                execution.averagingFrequency());
        // Opened inside runSafely, so a bad data directory is this configuration's failure.
        try (ExecutionBackend backend = execution.backend().get()) {
            MnistFiles files = new MnistFiles(dataDir);
            TrainingData all = backend.split(files, MnistFiles.Split.TRAIN, mode);
            TrainingData train = c.trainImages > 0 ? all.head(c.trainImages) : all;
            TrainingData test = backend.split(files, MnistFiles.Split.TEST, mode);
            Vae vae = Vae.create(config, c.seed);
            long started = System.nanoTime();
            List<EpochRecord> history = new ArrayList<>();
            backend.fit(vae, train, null, settings, 1, history, List.of());
            double seconds = (System.nanoTime() - started) / 1e9;
            ElboReport elbo = backend.elbo(vae, test, ElboEvaluator.DEFAULT_BATCH, c.seed, true);
            Double iwae = c.iwaeK > 0
                    ? backend.iwae(vae, test.head(c.iwaeImages), ElboEvaluator.DEFAULT_BATCH, c.seed, c.iwaeK).meanNll() : null;
            String modelPath = results.modelPath(c.key());
            // The same provenance as train's models: data, settings, epochs and the topology it ran on.
            ModelStore.save(vae, ModelProvenance.of(config, train, settings, c.epochs, history, backend.topology(settings)), modelPath);
            return c.result(elbo, iwae, seconds, modeName, modelPath);
        }
    }
}
