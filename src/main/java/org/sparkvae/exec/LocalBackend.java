package org.sparkvae.exec;

import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.model.Vae;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.run.Topology;
import org.sparkvae.spark.SplitData;
import org.sparkvae.train.TrainingEvents;
import org.sparkvae.train.VaeTrainer;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Everything in this JVM, without Spark: the driver reads the IDX files; seeded shuffles and noise. The reference
 * path ({@code --single-jvm}), and what a sweep's {@code configs} mode runs inside each of its Spark tasks.
 */
public final class LocalBackend implements ExecutionBackend {
    private final boolean progress;
    private boolean bars; // evaluators draw their bars only inside progress(...)

    /** {@code progress}: training draws its bar, and {@link #progress} lets the evaluators draw theirs. */
    public LocalBackend(boolean progress) {
        this.progress = progress;
    }

    @Override
    public TrainingData split(MnistFiles files, MnistFiles.Split split, DataMode mode) throws IOException {
        return new IdxData(SplitData.check(files, split, mode, null), null);
    }

    @Override
    public Optional<SparkSession> spark() {
        return Optional.empty();
    }

    @Override
    public List<EpochRecord> train(Vae vae, TrainingData data, TrainingSettings settings, int firstEpoch,
                                    TrainingEvents events) {
        return VaeTrainer.singleJvm(settings.options(), data.matrix()).train(vae, firstEpoch, events);
    }

    @Override
    public boolean showsProgress() {
        return progress;
    }

    @Override
    public ElboReport elbo(Vae vae, TrainingData data, int batchSize, long seed, boolean sampling) {
        return new ElboEvaluator(batchSize, bars).evaluate(vae, data.matrix(), seed, sampling);
    }

    @Override
    public IwaeEvaluator.Sums iwae(Vae vae, TrainingData data, int batchSize, long seed, int k) {
        return new IwaeEvaluator(k, bars).sums(vae, data.matrix(), seed);
    }

    @Override
    public Topology topology(TrainingSettings settings) {
        return null;
    }

    @Override
    public Progress progress(String task) {
        bars = progress;
        return () -> bars = false;
    }

    @Override
    public void close() {
        // nothing held
    }
}
