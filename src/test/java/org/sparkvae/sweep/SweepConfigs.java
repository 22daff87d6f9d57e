package org.sparkvae.sweep;

/** Small sweep configurations for tests: the exercise's MLP on MNIST, M=2, one epoch of minibatches of 64, seed 3. */
public final class SweepConfigs {
    private SweepConfigs() { }

    /** On the first {@code trainImages} training images (0: all). */
    public static SweepConfig small(int trainImages) {
        SweepConfig c = new SweepConfig();
        c.latentDim = 2;
        c.prior = "gaussian";
        c.components = 10;
        c.likelihood = "bernoulli";
        c.variance = "learned";
        c.arch = "mlp";
        c.levels = 1;
        c.seed = 3;
        c.epochs = 1;
        c.batchSize = 64;
        c.learningRate = 1e-3;
        c.dataset = "mnist";
        c.trainImages = trainImages;
        return c;
    }
}
