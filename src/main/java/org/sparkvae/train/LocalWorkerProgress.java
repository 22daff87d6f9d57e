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
 * Counts the minibatches that parameter-averaging workers fit, and sums their losses, for the driver's progress bar
 * and epoch loss. DL4J sends a copy of this listener to every worker; only on a local master do those workers run in
 * the driver's JVM, which is the only place {@link SparkTrainer} uses it. (A cluster's workers report once per
 * averaging round, through DL4J's own result.) The copies find their training's {@link Tally} through a JVM-wide
 * registry keyed by the training's id, so trainings that run at once in one driver (a {@code CrossValidator} fitting
 * in parallel) each count their own minibatches.
 *
 * <p>Losses are summed per partition (one task, so one thread, at a time per partition) and the partitions added in
 * order at the end: a shared concurrent adder would add the workers' losses in whatever order the threads ran, and the
 * printed epoch loss would change in its last digits.
 */
final class LocalWorkerProgress extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final Map<Long, Tally> TRAININGS = new ConcurrentHashMap<>();

    private final long training;

    LocalWorkerProgress(long training) {
        this.training = training;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        TaskContext task = TaskContext.get();
        tally(training).add(task == null ? -1 : task.partitionId(), model.score());
    }

    /** The counters of training {@code training} in this JVM, created on first use. */
    static Tally tally(long training) {
        return TRAININGS.computeIfAbsent(training, t -> new Tally());
    }

    /** Forgets a finished training's counters. */
    static void release(long training) {
        TRAININGS.remove(training);
    }

    /** One training's minibatch count (over its whole run) and its per-partition loss sums (since the epoch started). */
    static final class Tally {
        private final AtomicLong steps = new AtomicLong();
        /** partition → {loss sum, minibatches} since the epoch started. */
        private final Map<Integer, double[]> perPartition = new ConcurrentHashMap<>();

        void add(int partition, double loss) {
            double[] sums = perPartition.computeIfAbsent(partition, p -> new double[2]);
            sums[0] += loss;
            sums[1]++;
            steps.incrementAndGet();
        }

        long steps() {
            return steps.get();
        }

        void startEpoch() {
            perPartition.clear();
        }

        /** Mean loss over every minibatch since {@link #startEpoch()}, added in partition order; NaN if none. */
        double epochMeanLoss() {
            double sum = 0;
            double count = 0;
            for (double[] s : new TreeMap<>(perPartition).values()) {
                sum += s[0];
                count += s[1];
            }
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
