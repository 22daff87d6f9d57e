package org.sparkvae.ml;

import org.sparkvae.run.EpochRecord;

import java.util.List;

/**
 * What {@link VaeEstimator#fit} recorded: one {@link EpochRecord} per epoch (mean training -ELBO in nats,
 * the validation terms when rows were held out, seconds, samples/s, examples trained on) and how it trained. Like MLlib's summaries it lives with the fitted model only: a
 * saved and re-loaded model has none (its per-epoch numbers stay in {@code VaeModel.info()}).
 */
public record VaeTrainingSummary(List<EpochRecord> epochs, int workers, String master, double[] validationHistory) {
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
        return epochs.stream().mapToDouble(EpochRecord::trainNegElbo).toArray();
    }

    public int totalIterations() {
        return epochs.size();
    }
}
