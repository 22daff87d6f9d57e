package org.sparkvae.train;

/**
 * Parameter-averaging training on Spark: each of {@code workers} executors' tasks fits
 * {@code averagingFrequency} minibatches of {@code batchSizePerWorker} from the current parameters,
 * then the driver averages parameters (and Adam state). Validated when built.
 */
public record SparkTrainingOptions(int epochs, int batchSizePerWorker, int averagingFrequency, int workers, long seed) {
    public SparkTrainingOptions {
        if (epochs < 0) {
            throw new IllegalArgumentException("--epochs must be >= 0, got " + epochs);
        }
        if (batchSizePerWorker <= 0) {
            throw new IllegalArgumentException("--batch-size must be a positive integer, got " + batchSizePerWorker);
        }
        if (averagingFrequency <= 0) {
            throw new IllegalArgumentException("--averaging-frequency must be a positive integer, got " + averagingFrequency);
        }
        if (workers <= 0) {
            throw new IllegalArgumentException("--workers must be a positive integer, got " + workers);
        }
    }
}
