package org.sparkvae.run;

/** One epoch of training: mean training -ELBO over its minibatches, wall seconds, samples per second. */
public record EpochMetrics(int epoch, double trainNegElbo, double seconds, double samplesPerSecond, long examples) { }
