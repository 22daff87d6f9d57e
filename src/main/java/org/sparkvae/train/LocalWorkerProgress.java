package org.sparkvae.train;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the minibatches that parameter-averaging workers fit, and sums their losses, for the
 * driver's progress bar and epoch loss. DL4J sends a copy of this listener to every worker; only on
 * a local master do those workers run in the driver's JVM and so share these static counters, which
 * is the only place {@link SparkTrainer} uses it. (A cluster's workers report once per averaging
 * round, through DL4J's own result.) The counters are per JVM and reset at each epoch's start:
 * correct for one Spark training at a time per driver, which is how the CLI and sweeps run.
 *
 * <p>Losses are summed per partition (one task, so one thread, at a time per partition) and the
 * partitions added in order at the end: a shared concurrent adder would add the workers' losses in
 * whatever order the threads ran, and the printed epoch loss would change in its last digits.
 */
final class LocalWorkerProgress extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong STEPS = new AtomicLong();
    /** partition → {loss sum, minibatches} since the epoch started. */
    private static final Map<Integer, double[]> PER_PARTITION = new ConcurrentHashMap<>();

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        TaskContext task = TaskContext.get();
        double[] sums = PER_PARTITION.computeIfAbsent(task == null ? -1 : task.partitionId(), p -> new double[2]);
        sums[0] += model.score();
        sums[1]++;
        STEPS.incrementAndGet();
    }

    static long steps() {
        return STEPS.get();
    }

    static void startEpoch() {
        PER_PARTITION.clear();
    }

    /** Mean loss over every minibatch since {@link #startEpoch()}, added in partition order; NaN if none. */
    static double epochMeanLoss() {
        double sum = 0;
        double count = 0;
        for (double[] s : new TreeMap<>(PER_PARTITION).values()) {
            sum += s[0];
            count += s[1];
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
