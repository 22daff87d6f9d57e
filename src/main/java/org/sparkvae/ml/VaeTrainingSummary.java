package org.sparkvae.ml;

import org.sparkvae.train.EpochMetrics;

import java.util.List;

/**
 * What {@link VaeEstimator#fit} recorded: one {@link EpochMetrics} per epoch (mean training -ELBO in nats,
 * seconds, samples/s) and how it trained. Like MLlib's summaries it lives with the fitted model only: a
 * saved and re-loaded model has none (its per-epoch numbers stay in {@code VaeModel.info()}).
 */
public record VaeTrainingSummary(List<EpochMetrics> epochs, int workers, String master) {
    public VaeTrainingSummary {
        epochs = List.copyOf(epochs);
    }

    /** The mean training -ELBO of each epoch, in order: MLlib's {@code objectiveHistory}. */
    public double[] objectiveHistory() {
        return epochs.stream().mapToDouble(EpochMetrics::trainNegElbo).toArray();
    }

    public int totalIterations() {
        return epochs.size();
    }
}
