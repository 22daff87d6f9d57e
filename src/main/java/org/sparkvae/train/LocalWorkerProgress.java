package org.sparkvae.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Counts the minibatches that parameter-averaging workers fit, and sums their losses, for the
 * driver's progress bar and epoch loss. DL4J sends a copy of this listener to every worker; only on
 * a local master do those workers run in the driver's JVM and so share these static counters, which
 * is the only place {@link SparkTrainer} uses it. (A cluster's workers report once per averaging
 * round, through DL4J's own result.) The counters are per JVM, read as differences around each
 * epoch: correct for one Spark training at a time per driver, which is how the CLI and sweeps run.
 */
final class LocalWorkerProgress extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong STEPS = new AtomicLong();
    private static final DoubleAdder LOSS_SUM = new DoubleAdder();

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        LOSS_SUM.add(model.score());
        STEPS.incrementAndGet();
    }

    static long steps() {
        return STEPS.get();
    }

    static double lossSum() {
        return LOSS_SUM.sum();
    }
}
