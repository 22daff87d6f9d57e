package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a trainer reports as it trains, turned into {@link EpochRecord}s for the run's {@link TrainingListener}s. The
 * epoch's wall time is measured here, from {@link #epochStarted} to {@link #epochTrained}, once for every trainer;
 * {@code complete} adds what the run measures after training (the held-out ELBO) before the record is kept in
 * {@code history} and the listeners see it. Not thread-safe except {@link #steps}, which only forwards.
 */
public final class TrainingEvents {
    private final int epochs;
    private final List<TrainingListener> listeners;
    private final UnaryOperator<EpochRecord> complete;
    private final List<EpochRecord> history;
    private long epochStart;

    /**
     * @param epochs the run's last epoch (bars and lines say "epoch 3/10")
     * @param complete adds the test terms to a trained epoch's record (identity when none are evaluated)
     * @param history the run's epochs so far (a resumed run's earlier ones); each completed epoch is appended
     */
    public TrainingEvents(int epochs, List<TrainingListener> listeners, UnaryOperator<EpochRecord> complete,
                          List<EpochRecord> history) {
        this.epochs = epochs;
        this.listeners = List.copyOf(listeners);
        this.complete = complete;
        this.history = history;
    }

    /** Events that only hand each trained epoch to {@code afterEpoch} (tests, benchmarks). */
    public static TrainingEvents to(int epochs, Consumer<EpochRecord> afterEpoch) {
        return new TrainingEvents(epochs, List.of((e, h) -> afterEpoch.accept(e)), UnaryOperator.identity(), new ArrayList<>());
    }

    public int epochs() {
        return epochs;
    }

    /** Epoch {@code epoch} starts, with {@code steps} steps to report; its clock starts now. */
    public void epochStarted(int epoch, long steps) {
        for (TrainingListener l : listeners) {
            l.onEpochStart(epoch, epochs, steps);
        }
        epochStart = System.nanoTime();
    }

    /** Progress within the epoch (see {@link TrainingListener#onSteps}); callable from any thread. */
    public void steps(long done, double meanLoss) {
        for (TrainingListener l : listeners) {
            l.onSteps(done, meanLoss);
        }
    }

    /**
     * The trainer is done with the epoch: records its loss, time and examples, completes it, keeps it in the history
     * and tells the listeners. A listener's I/O failure (a checkpoint on a full disk) stops the run.
     *
     * @return the trained epoch's record, as the trainer measured it (no test terms)
     */
    public EpochRecord epochTrained(int epoch, double meanLoss, long examples) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        EpochRecord trained = EpochRecord.trained(epoch, meanLoss, seconds, examples);
        for (TrainingListener l : listeners) {
            l.onEpochTrained(trained);
        }
        EpochRecord done = complete.apply(trained);
        history.add(done);
        List<EpochRecord> soFar = List.copyOf(history);
        try {
            for (TrainingListener l : listeners) {
                l.onEpoch(done, soFar);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return trained;
    }

    /** The run ended, normally or not: listeners release what they hold (an open bar). */
    public void stopped() {
        for (TrainingListener l : listeners) {
            l.onStop();
        }
    }
}
