package org.sparkvae.exec;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.evaluate.SparkElboEvaluator;
import org.sparkvae.model.Vae;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.run.Topology;
import org.sparkvae.spark.SparkProgress;
import org.sparkvae.spark.SparkSessions;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.spark.SplitData;
import org.sparkvae.train.SparkTrainingOptions;
import org.sparkvae.train.TrainingEvents;
import org.sparkvae.train.VaeTrainer;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Spark's executors do the work: they read the data (the {@code idx} source, or any Spark source), train with
 * parameter averaging over {@code workers} and evaluate partition by partition. Evaluation uses the context's
 * default parallelism, the partitioning its seeds are drawn per ({@code ElboEvaluator.partitionSeed}).
 */
public final class SparkBackend implements ExecutionBackend {
    private final SparkSetup setup;
    private final String appName;
    private final boolean progress;
    private final boolean owned;
    private SparkSession session;

    private SparkBackend(SparkSetup setup, String appName, boolean progress, SparkSession session) {
        this.setup = setup;
        this.appName = appName;
        this.progress = progress;
        this.owned = session == null;
        this.session = session;
    }

    /** A session of its own, started when first needed and stopped by {@link #close}. */
    public static SparkBackend start(SparkSetup setup, String appName, boolean progress) {
        return new SparkBackend(setup, appName, progress, null);
    }

    /** On a caller's session (a Spark ML fit, a sweep's {@code data} mode), which {@link #close} leaves running. */
    public static SparkBackend on(SparkSession session, boolean progress) {
        return new SparkBackend(new SparkSetup(session.sparkContext().master(), null), null, progress, session);
    }

    private SparkSession session() {
        if (session == null) {
            session = setup.session(appName);
        }
        return session;
    }

    private JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    @Override
    public TrainingData split(MnistFiles files, MnistFiles.Split split, DataMode mode) throws IOException {
        // The driver checks headers and lengths (or reads what the executors cannot); Spark starts when the data is
        // first used or its checksum asked for.
        return new IdxData(SplitData.check(files, split, mode, setup), this::session);
    }

    @Override
    public Optional<SparkSession> spark() {
        return Optional.of(session());
    }

    private int workers(TrainingSettings settings) {
        return settings.workers() != null ? settings.workers() : SparkTrainingOptions.defaultWorkers(sc());
    }

    @Override
    public List<EpochRecord> train(Vae vae, TrainingData data, TrainingSettings settings, int firstEpoch,
                                    TrainingEvents events) {
        int w = workers(settings);
        SparkTrainingOptions options = new SparkTrainingOptions(settings.epochs(), settings.batchSize(),
                settings.averagingFrequency(), w, settings.seed());
        var frame = data instanceof IdxData idx ? idx.trainingFrame(w) : data.frame(0);
        return VaeTrainer.spark(options, sc(), frame).train(vae, firstEpoch, events);
    }

    @Override
    public boolean showsProgress() {
        return progress;
    }

    @Override
    public ElboReport elbo(Vae vae, TrainingData data, int batchSize, long seed, boolean sampling) {
        JavaSparkContext sc = sc();
        return new SparkElboEvaluator(batchSize).evaluate(sc, vae, data.frame(sc.defaultParallelism()), seed, sampling);
    }

    @Override
    public IwaeEvaluator.Sums iwae(Vae vae, TrainingData data, int batchSize, long seed, int k) {
        JavaSparkContext sc = sc();
        return new SparkElboEvaluator(batchSize).evaluateIwae(sc, vae, data.frame(sc.defaultParallelism()), seed, k);
    }

    @Override
    public Topology topology(TrainingSettings settings) {
        return new Topology(session().sparkContext().master(), workers(settings), settings.averagingFrequency());
    }

    @Override
    public String describe(TrainingSettings settings) {
        JavaSparkContext sc = sc();
        int w = workers(settings);
        return String.format("Spark master %s: %s, batch %d per worker, averaging every %d minibatches%s", sc.master(),
                w == 1 ? "1 worker" : w + " workers", settings.batchSize(), settings.averagingFrequency(),
                settings.workers() == null && sc.isLocal() ? " (one worker on an embedded master; --workers N to average N)" : "");
    }

    @Override
    public Progress progress(String task) {
        return new SparkProgress(session().sparkContext(), task, progress)::close;
    }

    @Override
    public void close() {
        if (owned && session != null) {
            SparkSessions.stop(session);
        }
    }
}
