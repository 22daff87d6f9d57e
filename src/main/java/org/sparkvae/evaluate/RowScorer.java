package org.sparkvae.evaluate;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.model.Vae;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Per-row results of a VAE for a batch of examples: mu, one z ~ q(z|x), and the -ELBO's terms. Free of Spark.
 *
 * <p>Each row's noise comes from its own stream, keyed by (seed, the row's key, latent level), never from
 * ND4J's global generator: a row scores the same whatever batch, partition or order it arrives in, so a
 * re-evaluated DataFrame gives the same draws. With sampling off z = mu and the scores are deterministic.
 */
public final class RowScorer {
    private final Vae vae;
    private final long seed;
    private final boolean sampling;

    public RowScorer(Vae vae, long seed, boolean sampling) {
        this.vae = vae;
        this.seed = seed;
        this.sampling = sampling;
    }

    /** The results for rows {@code x} [n, D] whose keys (e.g. their index column) are {@code keys}. */
    public Result score(INDArray x, long[] keys) {
        if (x.size(0) != keys.length) {
            throw new IllegalArgumentException(x.size(0) + " rows but " + keys.length + " keys");
        }
        int m = vae.config().latentDim();
        boolean previous = vae.setSampling(sampling);
        try {
            if (sampling) {
                List<INDArray> eps = new ArrayList<>();
                for (int level = 0; level < vae.latentLevels(); level++) {
                    eps.add(noise(seed, keys, level, m));
                }
                vae.setGivenNoise(eps);
            }
            Vae.RowScores s = vae.score(x);
            return new Result(s.posterior().mu().castTo(DataType.DOUBLE), s.posterior().z().castTo(DataType.DOUBLE),
                    s.terms().recon().castTo(DataType.DOUBLE), s.terms().kl().castTo(DataType.DOUBLE));
        } finally {
            vae.setGivenNoise(null);
            vae.setSampling(previous);
        }
    }

    /** Per-row results, all in double: mu and z [n, M], recon and kl [n]. */
    public record Result(INDArray mu, INDArray z, INDArray recon, INDArray kl) { }

    /** eps [n, m] with row i drawn from the stream of (seed, keys[i], level). */
    static INDArray noise(long seed, long[] keys, int level, int m) {
        float[] eps = new float[keys.length * m];
        for (int i = 0; i < keys.length; i++) {
            // Three rounds of SplitMix64's finaliser: nearby seeds and keys give unrelated streams.
            SplittableRandom r = new SplittableRandom(mix(mix(seed) + mix(keys[i] * 4 + level)));
            for (int j = 0; j < m; j++) {
                eps[i * m + j] = (float) r.nextGaussian();
            }
        }
        return Nd4j.create(eps, new long[] {keys.length, m}, 'c');
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
