package org.sparkvae.train;

import org.sparkvae.model.SettingException;

/**
 * Parameter-averaging training on Spark: each of {@code workers} executors' tasks fits
 * {@code averagingFrequency} minibatches of {@code batchSizePerWorker} from the current parameters,
 * then the driver averages parameters (and Adam state). Validated when built.
 */
public record SparkTrainingOptions(int epochs, int batchSizePerWorker, int averagingFrequency, int workers, long seed) {
    public SparkTrainingOptions {
        if (epochs < 0) {
            throw new SettingException("epochs", "{epochs} must be >= 0, got " + epochs);
        }
        if (batchSizePerWorker <= 0) {
            throw new SettingException("batchSize", "{batchSize} must be a positive integer, got " + batchSizePerWorker);
        }
        if (averagingFrequency <= 0) {
            throw new SettingException("averagingFrequency", "{averagingFrequency} must be a positive integer, got " + averagingFrequency);
        }
        if (workers <= 0) {
            throw new SettingException("workers", "{workers} must be a positive integer, got " + workers);
        }
    }

    /**
     * Workers when the user names none: on one machine the test ELBO after a fixed number of epochs is what
     * users compare, and averaging costs it (bench/README.md), so one; a cluster is there to be used.
     */
    public static int defaultWorkers(org.apache.spark.api.java.JavaSparkContext sc) {
        return sc.isLocal() ? 1 : sc.defaultParallelism();
    }
}
