package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import java.io.IOException;

/**
 * Told about a training run as it goes (DJL's training listeners are the model): every finished epoch, with
 * the test terms when they were evaluated. {@code TrainingRun} calls its listeners in order, so a checkpoint
 * listener placed before the metrics files makes sure no metrics ever describe an epoch that could not be
 * checkpointed (a full disk).
 */
public interface TrainingListener {
    void onEpoch(EpochRecord epoch, java.util.List<EpochRecord> history) throws IOException;

    /** One line per epoch on standard error: "epoch 3/10: train -ELBO 101.234, test -ELBO 99.876, 20.1 s (2985 samples/s)". */
    static TrainingListener console(int epochs) {
        return (e, history) -> System.err.printf("epoch %d/%d: train -ELBO %.3f%s, %.1f s (%.0f samples/s)%n",
                e.epoch(), epochs, e.trainNegElbo(), e.testNegElbo() != null
                        ? String.format(java.util.Locale.ROOT, ", test -ELBO %.3f", e.testNegElbo()) : "",
                e.seconds(), e.samplesPerSecond());
    }
}
