package org.sparkvae.train;

import org.sparkvae.model.SettingException;

/** How to train: epochs, minibatch size, seed of initialisation, shuffling and noise. Validated when built. */
public record TrainingOptions(int epochs, int batchSize, long seed) {
    public TrainingOptions {
        if (epochs < 0) {
            throw new SettingException("epochs", "{epochs} must be >= 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new SettingException("batchSize", "{batchSize} must be a positive integer, got " + batchSize);
        }
    }
}
