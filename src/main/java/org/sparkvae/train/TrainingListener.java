package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Told about a training run as it goes (DJL's training listeners are the model). A trainer only trains: the console
 * line, the progress bar, the per-epoch held-out ELBO, checkpoints, metrics files and timing are listeners or
 * {@link TrainingEvents}, each written once and added by the front ends that want it.
 *
 * <p>Per epoch, in order: {@link #onEpochStart}, {@link #onSteps} as minibatches (or averaging rounds) finish,
 * {@link #onEpochTrained} as soon as the trainer is done with the epoch (its record has no test terms yet), then
 * {@link #onEpoch} once the epoch is complete (with the held-out ELBO when one was asked for). Listeners are told in
 * the order given, so a checkpoint listener placed before the metrics files makes sure no metrics ever describe an
 * epoch that could not be checkpointed (a full disk). {@link #onStop} ends every run, finished or not.
 */
public interface TrainingListener {
    /** The epoch is complete: its record (test terms included when evaluated) and the run's history so far. */
    void onEpoch(EpochRecord epoch, List<EpochRecord> history) throws IOException;

    /** Epoch {@code epoch} of {@code epochs} starts; it will report {@code steps} steps. */
    default void onEpochStart(int epoch, int epochs, long steps) {
    }

    /**
     * {@code done} of the epoch's steps are done; {@code meanLoss} is the mean training -ELBO so far, NaN when not known
     * yet. May be called from a thread other than the trainer's (Spark's local workers are followed by a timer).
     */
    default void onSteps(long done, double meanLoss) {
    }

    /** The trainer finished the epoch: loss, time and examples; the held-out ELBO, if any, is evaluated next. */
    default void onEpochTrained(EpochRecord trained) {
    }

    /** The run ended, normally or by an exception (a non-finite loss, a failed listener). */
    default void onStop() {
    }

    /** One line per epoch on standard error: "epoch 3/10: train -ELBO 101.234, test -ELBO 99.876, 20.1 s (2985 samples/s)". */
    static TrainingListener console(int epochs) {
        return (e, history) -> System.err.printf("epoch %d/%d: train -ELBO %.3f%s, %.1f s (%.0f samples/s)%n",
                e.epoch(), epochs, e.trainNegElbo(), e.testNegElbo() != null
                        ? String.format(Locale.ROOT, ", test -ELBO %.3f", e.testNegElbo()) : "",
                e.seconds(), e.samplesPerSecond());
    }

    /** Each epoch's progress bar on standard error ({@link ProgressBarListener}). */
    static TrainingListener progressBar() {
        return new ProgressBarListener();
    }
}
