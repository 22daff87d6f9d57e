package org.sparkvae.exec;

import org.sparkvae.train.SparkTrainingOptions;
import org.sparkvae.train.TrainingOptions;

/**
 * How to train, whatever the backend: epochs, minibatch size and seed (validated by {@link TrainingOptions}); on
 * Spark also the workers to average ({@code null}: {@link SparkTrainingOptions#defaultWorkers}) and how many
 * minibatches each fits between averagings.
 */
public record TrainingSettings(int epochs, int batchSize, long seed, Integer workers, int averagingFrequency) {
    /** The defaults of every front end (the CLI, the sweep grid, the Spark ML estimator): the exercise's 10 epochs of 128. */
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_BATCH_SIZE = 128;
    public static final int DEFAULT_AVERAGING_FREQUENCY = 50;
    public static final long DEFAULT_SEED = 0;

    public TrainingSettings {
        new TrainingOptions(epochs, batchSize, seed); // the settings' own checks, worded once
    }

    /** In one JVM (no workers to average). */
    public static TrainingSettings local(int epochs, int batchSize, long seed) {
        return new TrainingSettings(epochs, batchSize, seed, null, 1);
    }

    public TrainingOptions options() {
        return new TrainingOptions(epochs, batchSize, seed);
    }
}
