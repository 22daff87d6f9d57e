package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkvae.model.Vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.sparkvae.backend.Denormals;
import org.sparkvae.model.workarounds.Nd4jSeeds;
import org.sparkvae.backend.NativeMalloc;

/**
 * Trains a {@link Vae} on one JVM: reshuffles every epoch, one fresh eps per example per step (the
 * network's noise preprocessor), Adam as configured in the network. Stops on a non-finite loss. It reports each
 * minibatch and epoch to its {@link TrainingEvents}; bars, lines, timing and files are the listeners' business.
 */
public final class LocalTrainer {
    private final TrainingOptions options;

    public LocalTrainer(TrainingOptions options) {
        this.options = options;
    }

    /**
     * @param features [n, D] training inputs (labels are the inputs themselves)
     * @param afterEpoch called with each epoch's metrics as soon as it ends
     */
    public List<EpochRecord> train(Vae vae, INDArray features, Consumer<EpochRecord> afterEpoch) {
        return train(vae, features, 1, afterEpoch);
    }

    /**
     * Trains epochs {@code firstEpoch..epochs}. Each epoch's shuffle and noise are seeded from
     * (seed, epoch) alone, so a run resumed from a checkpoint continues as the uninterrupted one would.
     */
    public List<EpochRecord> train(Vae vae, INDArray features, int firstEpoch, Consumer<EpochRecord> afterEpoch) {
        return train(vae, features, firstEpoch, TrainingEvents.to(options.epochs(), afterEpoch));
    }

    /** Trains epochs {@code firstEpoch..epochs}, reporting to {@code events}; returns the trained epochs' records. */
    public List<EpochRecord> train(Vae vae, INDArray features, int firstEpoch, TrainingEvents events) {
        // This thread does the arithmetic (net.fit): subnormals flushed on it, whichever front end called.
        Denormals.applyHere();
        NativeMalloc.apply(); // once per JVM: bounded native memory (NativeMalloc)
        MultiLayerNetwork net = vae.network();
        int n = (int) features.size(0);
        int steps = (n + options.batchSize() - 1) / options.batchSize();
        List<EpochRecord> history = new ArrayList<>();
        try {
            for (int epoch = firstEpoch; epoch <= options.epochs(); epoch++) {
                int[] order = permutation(n, new Random(epochSeed(options.seed(), epoch)));
                Nd4jSeeds.seed(epochSeed(options.seed(), epoch) ^ 0x5DEECE66DL);
                events.epochStarted(epoch, steps);
                double lossSum = 0;
                long seen = 0;
                for (int step = 0; step < steps; step++) {
                    int from = step * options.batchSize();
                    int to = Math.min(n, from + options.batchSize());
                    int[] rows = java.util.Arrays.copyOfRange(order, from, to);
                    // pullRows: one native gather. INDArray.getRows copies row by row through Java views: 3.3–4.9 ms
                    // per minibatch of 128 from the 60,000 training images against 0.9–1.2 ms, i.e. ~15 % of a
                    // one-JVM MLP epoch (a one-off probe; the measured epoch gain is in bench/README.md). Same values, same order.
                    INDArray batch = Nd4j.pullRows(features, 1, rows, 'c');
                    net.fit(new DataSet(batch, batch));
                    double loss = NonFiniteLossException.check(net.score(), epoch, step + 1);
                    lossSum += loss * rows.length;
                    seen += rows.length;
                    events.steps(step + 1, lossSum / seen);
                }
                history.add(events.epochTrained(epoch, lossSum / seen, seen));
            }
        } finally {
            events.stopped();
        }
        return history;
    }

    /** The seed of one epoch's shuffle and noise. */
    public static long epochSeed(long seed, int epoch) {
        return seed * 1_000_003L + epoch;
    }

    /** A uniform random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
