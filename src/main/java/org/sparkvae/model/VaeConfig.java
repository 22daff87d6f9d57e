package org.sparkvae.model;

/**
 * The architecture and optimiser of the exercise's MLP VAE: encoder
 * inputSize-hidden-hidden-2M, decoder M-hidden-hidden-inputSize, ReLU, Adam. Validated when built.
 */
public record VaeConfig(int inputSize, int hiddenUnits, int latentDim, double learningRate) {
    public static final int MNIST_PIXELS = 28 * 28;
    public static final int DEFAULT_HIDDEN = 512;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    public VaeConfig {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + inputSize);
        }
        if (hiddenUnits <= 0) {
            throw new IllegalArgumentException("hidden units must be positive, got " + hiddenUnits);
        }
        if (latentDim <= 0) {
            throw new IllegalArgumentException("--latent-dim must be a positive integer, got " + latentDim);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
    }

    /** The exercise's model for 28x28 images with latent dimension {@code m}. */
    public static VaeConfig mnist(int m) {
        return new VaeConfig(MNIST_PIXELS, DEFAULT_HIDDEN, m, DEFAULT_LEARNING_RATE);
    }
}
