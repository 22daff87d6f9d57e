package org.sparkvae.evaluate;

import me.tongfei.progressbar.ProgressBar;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.workarounds.Nd4jSeeds;
import org.sparkvae.backend.Denormals;
import org.sparkvae.backend.NativeMalloc;
import org.sparkvae.io.ConsoleBars;

/**
 * The importance-weighted estimate of the test negative log-likelihood (Burda et al.'s IWAE bound):
 * -log p(x) ~= -[logsumexp_k w_k - log K], w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x), z_k ~ q(z|x).
 * It is at most the -ELBO in expectation and tightens as K grows; K = 1 is the one-sample -ELBO.
 *
 * <p>Each image's encoder output is repeated K times in one batch, so the K weights come from one pass of the
 * very loss graph that is trained. The log-sum-exp is taken in double precision.
 */
public final class IwaeEvaluator {
    /** Rows (images x samples) per forward pass of the CNN: bounds memory whatever K is. */
    static final int ROWS_PER_PASS = 4096;

    /**
     * Rows per pass for this model. The MLP's widest activation has 814 columns against the CNN's 6,302, so it takes
     * twice the rows for a quarter of the memory: each pass pays the SameDiff latent and loss layers' per-call cost
     * once, and larger passes spread it (bench/README.md, the MLP IWAE-100 A/B of 2026-12-06).
     */
    static int rowsPerPass(VaeConfig config) {
        return config.arch() == Architecture.CNN ? ROWS_PER_PASS : 2 * ROWS_PER_PASS;
    }

    private final int samples;
    private final boolean showProgress;

    public IwaeEvaluator(int samples, boolean showProgress) {
        if (samples <= 0 || samples > 100_000) {
            throw new SettingException("iwaeK", "{iwaeK} must be in 1..100000 importance samples, got " + samples);
        }
        this.samples = samples;
        this.showProgress = showProgress;
    }

    /** Partial sums of -log p(x) estimates: what executors send to the driver (a class: Kryo 4 has no records). */
    public static final class Sums implements java.io.Serializable {
        private double nll;
        private long n;

        private Sums() { }

        public Sums(double nll, long n) {
            this.nll = nll;
            this.n = n;
        }

        public Sums plus(Sums o) {
            return new Sums(nll + o.nll, n + o.n);
        }

        public double meanNll() {
            return nll / n;
        }

        public long n() {
            return n;
        }
    }

    /** Per-image -log p(x) estimates for x [n, D], seeded. */
    public double[] perImage(Vae vae, INDArray x, long seed) {
        Denormals.applyHere(); // this thread computes (Denormals)
        NativeMalloc.apply(); // once per JVM: bounded native memory (NativeMalloc)
        boolean previous = vae.setSampling(true);
        try {
            Nd4jSeeds.seed(seed);
            long n = x.size(0);
            double[] nll = new double[(int) n];
            int imagesPerPass = Math.max(1, rowsPerPass(vae.config()) / samples);
            int passes = (int) ((n + imagesPerPass - 1) / imagesPerPass);
            try (ProgressBar bar = ConsoleBars.open(showProgress, "IWAE-" + samples, passes)) {
                for (long from = 0; from < n; from += imagesPerPass) {
                    long to = Math.min(n, from + imagesPerPass);
                    INDArray batch = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    // Image i's K weights at rows i*K .. i*K+K-1; the encoder runs once per image (Vae).
                    INDArray logW = vae.logImportanceWeights(batch, samples);
                    double[] flat = logW.castTo(DataType.DOUBLE).toDoubleVector();
                    // freed now, not when the GC gets to it (off-heap memory is not the heap's)
                    logW.close();
                    for (int i = 0; i < to - from; i++) {
                        nll[(int) from + i] = -(logSumExp(flat, i * samples, samples) - Math.log(samples));
                    }
                    if (bar != null) {
                        bar.step();
                    }
                }
            }
            return nll;
        } finally {
            vae.setSampling(previous);
        }
    }

    public Sums sums(Vae vae, INDArray x, long seed) {
        double total = 0;
        for (double v : perImage(vae, x, seed)) {
            total += v;
        }
        return new Sums(total, x.size(0));
    }

    static double logSumExp(double[] v, int from, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + count; i++) {
            max = Math.max(max, v[i]);
        }
        if (Double.isInfinite(max)) {
            return max;
        }
        double s = 0;
        for (int i = from; i < from + count; i++) {
            s += Math.exp(v[i] - max);
        }
        return max + Math.log(s);
    }
}
