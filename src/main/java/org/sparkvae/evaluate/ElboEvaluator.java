package org.sparkvae.evaluate;

import org.sparkvae.run.ElboReport;
import me.tongfei.progressbar.ProgressBar;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkvae.model.ElboTerms;
import org.sparkvae.model.Vae;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.workarounds.Nd4jSeeds;
import org.sparkvae.backend.Denormals;
import org.sparkvae.backend.NativeMalloc;
import org.sparkvae.io.ConsoleBars;

/**
 * Test-set ELBO on one JVM: one z ~ q(z|x) per image (or z = mu with sampling off), per-example terms
 * read from the network's own loss graph, summed in double precision.
 */
public final class ElboEvaluator {
    /**
     * Rows per forward pass when scoring or evaluating (the test ELBO, IWAE, projections, {@code VaeModel.transform}):
     * the one default of every evaluation path; the training minibatch is a separate setting.
     */
    public static final int DEFAULT_BATCH = 1000;

    /**
     * The seed of partition {@code part}'s noise for a run seeded with {@code seed}: every distributed pass that draws
     * z ~ q(z|x) per partition (the test ELBO, IWAE, the latent projection) seeds it this way, so that a seeded pass
     * repeats whatever the executors' order.
     */
    public static long partitionSeed(long seed, int part) {
        return seed * 7919 + part;
    }

    private final int batchSize;
    private final boolean showProgress;

    public ElboEvaluator(int batchSize, boolean showProgress) {
        if (batchSize <= 0) {
            throw new SettingException("batchSize", "{batchSize} must be a positive integer, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.showProgress = showProgress;
    }

    /**
     * Partial sums of the terms: what executors send to the driver. A plain class, not a record:
     * Spark's Kryo 4 cannot serialise Java records.
     */
    public static final class Sums implements java.io.Serializable {
        private double recon;
        private double kl;
        private long n;

        private Sums() { }

        public Sums(double recon, double kl, long n) {
            this.recon = recon;
            this.kl = kl;
            this.n = n;
        }

        public Sums plus(Sums o) {
            return new Sums(recon + o.recon, kl + o.kl, n + o.n);
        }

        public ElboReport report() {
            return new ElboReport((recon + kl) / n, recon / n, kl / n, n);
        }
    }

    /**
     * @param x [n, D] test inputs
     * @param seed seeds the eps draws, so the same call gives the same numbers
     * @param sampling false to evaluate at z = mu
     */
    public ElboReport evaluate(Vae vae, INDArray x, long seed, boolean sampling) {
        return sums(vae, x, seed, sampling).report();
    }

    public Sums sums(Vae vae, INDArray x, long seed, boolean sampling) {
        Denormals.applyHere(); // this thread computes (Denormals)
        NativeMalloc.apply(); // once per JVM: bounded native memory (NativeMalloc)
        boolean previous = vae.setSampling(sampling);
        try {
            Nd4jSeeds.seed(seed);
            long n = x.size(0);
            Sums total = new Sums(0, 0, 0);
            int batches = (int) ((n + batchSize - 1) / batchSize);
            try (ProgressBar bar = ConsoleBars.open(showProgress, "evaluate", batches)) {
                for (long from = 0; from < n; from += batchSize) {
                    long to = Math.min(n, from + batchSize);
                    INDArray batch = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    ElboTerms t = vae.elboTerms(batch);
                    double recon = t.recon().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().doubleValue();
                    double kl = t.kl().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().doubleValue();
                    total = total.plus(new Sums(recon, kl, to - from));
                    if (bar != null) {
                        bar.step();
                    }
                }
            }
            return total;
        } finally {
            vae.setSampling(previous);
        }
    }
}
