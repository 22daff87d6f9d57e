package org.sparkvae.exec;

import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.model.Vae;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.run.Topology;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.train.TrainingEvents;
import org.sparkvae.train.TrainingListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a run's numeric work runs: in this JVM ({@link LocalBackend}) or on Spark's executors ({@link SparkBackend}).
 * Every front end (the CLI's {@code train}, {@code evaluate} and {@code sweep}, the Spark ML estimator) is a short
 * sequence over these few calls, as Tribuo's trainers are over its {@code Trainer}: open the data, train with
 * listeners, evaluate the ELBO and the IWAE bound, and record the topology the model was trained on.
 */
public interface ExecutionBackend extends AutoCloseable {
    /** One JVM when {@code spark} is null, else Spark (its session starts when a call first needs it). */
    static ExecutionBackend of(SparkSetup spark, String appName, boolean progress) {
        return spark == null ? new LocalBackend(progress) : SparkBackend.start(spark, appName, progress);
    }

    /** An IDX split, checked (headers and lengths when the executors will read it, else all of it), its checksum known. */
    TrainingData split(MnistFiles files, MnistFiles.Split split, DataMode mode) throws IOException;

    /** The Spark session, started if it was not yet; empty in one JVM (rows from a data source need it). */
    Optional<SparkSession> spark();

    /** Epochs {@code firstEpoch..settings.epochs()} on {@code data}, reporting to {@code events}. */
    List<EpochRecord> train(Vae vae, TrainingData data, TrainingSettings settings, int firstEpoch, TrainingEvents events);

    /** Whether this backend's jobs draw progress bars (training's epochs, the evaluators, Spark's stages). */
    default boolean showsProgress() {
        return false;
    }

    /** The mean -ELBO over {@code data}: one seeded z per image, or z = mu when not {@code sampling}. */
    ElboReport elbo(Vae vae, TrainingData data, int batchSize, long seed, boolean sampling);

    /** The IWAE estimate of the NLL with {@code k} samples per image. */
    IwaeEvaluator.Sums iwae(Vae vae, TrainingData data, int batchSize, long seed, int k);

    /** Where a model trained with {@code settings} ran, as its info records it: null in one JVM. */
    Topology topology(TrainingSettings settings);

    /** A line saying how training is spread, or null when there is nothing to say (one JVM). */
    default String describe(TrainingSettings settings) {
        return null;
    }

    /** A progress bar over the work done until it is closed (Spark's stages; one JVM's evaluators draw their own). */
    default Progress progress(String task) {
        return () -> { };
    }

    /** A progress bar's lifetime; closing it cannot fail. */
    interface Progress extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The training loop every front end shares (DJL's listener-driven fit): trains, adds to each epoch the ELBO on
     * {@code heldOut}'s images when given (seeded, so epochs are comparable), appends it to {@code history}, then tells
     * {@code listeners} in order (so a checkpoint precedes the metrics that describe it), after the progress bar when
     * this backend {@link #showsProgress shows progress}. Returns the epochs run.
     */
    default List<EpochRecord> fit(Vae vae, TrainingData train, HeldOut heldOut, TrainingSettings settings, int firstEpoch,
                                  List<EpochRecord> history, List<TrainingListener> listeners) {
        int before = history.size();
        List<TrainingListener> all = new ArrayList<>();
        if (showsProgress()) {
            all.add(TrainingListener.progressBar());
        }
        all.addAll(listeners);
        UnaryOperator<EpochRecord> withTest = heldOut == null ? UnaryOperator.identity()
                : trained -> trained.withTest(elbo(vae, heldOut.data(), heldOut.batchSize(), settings.seed(), true));
        train(vae, train, settings, firstEpoch, new TrainingEvents(settings.epochs(), all, withTest, history));
        return List.copyOf(history.subList(before, history.size()));
    }

    /** Images scored after every epoch (a test split, or the rows a Spark ML validation column marks), {@code batchSize} at a time. */
    record HeldOut(TrainingData data, int batchSize) {
    }

    @Override
    void close();
}
