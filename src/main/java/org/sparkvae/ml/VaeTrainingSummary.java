package org.sparkvae.ml;

import org.sparkvae.run.EpochMetrics;

import java.util.List;

/**
 * What {@link VaeEstimator#fit} recorded: one {@link EpochMetrics} per epoch (mean training -ELBO in nats,
 * seconds, samples/s) and how it trained. Like MLlib's summaries it lives with the fitted model only: a
 * saved and re-loaded model has none (its per-epoch numbers stay in {@code VaeModel.info()}).
 */
public record VaeTrainingSummary(List<EpochMetrics> epochs, int workers, String master, double[] validationHistory) {
    public VaeTrainingSummary {
        epochs = List.copyOf(epochs);
        validationHistory = validationHistory.clone();
    }

    /**
     * The mean -ELBO (one seeded z per row) of the rows {@code validationIndicatorCol} held out, after each epoch;
     * empty without that Param.
     */
    @Override
    public double[] validationHistory() {
        return validationHistory.clone();
    }

    /** The mean training -ELBO of each epoch, in order: MLlib's {@code objectiveHistory}. */
    public double[] objectiveHistory() {
        return epochs.stream().mapToDouble(EpochMetrics::trainNegElbo).toArray();
    }

    public int totalIterations() {
        return epochs.size();
    }
}
