package org.sparkvae.evaluate;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sparkvae.model.ElboTerms;
import org.sparkvae.model.Posterior;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-row scores: the network's own terms, and per-row noise that does not depend on batching. */
class RowScorerTest {
    private static final int M = 3;

    private static INDArray images(int n) {
        Nd4j.getRandom().setSeed(7);
        return Nd4j.rand(DataType.FLOAT, n, 16).gt(0.5).castTo(DataType.FLOAT);
    }

    private static long[] keys(int n, long first) {
        long[] k = new long[n];
        for (int i = 0; i < n; i++) {
            k[i] = first + i;
        }
        return k;
    }

    private static Vae vae(VaeConfig c) {
        return Vae.create(c, 11);
    }

    @Test
    void withoutSamplingTheScoresAreTheNetworksOwnTermsAtZEqualsMu() {
        Vae vae = vae(new VaeConfig(16, 8, M, 1e-3));
        INDArray x = images(9);
        RowScorer.Result r = new RowScorer(vae, 0, false).score(x, keys(9, 0));
        vae.setSampling(false);
        ElboTerms t = vae.elboTerms(x);
        Posterior q = vae.encode(x);
        vae.setSampling(true);
        assertArrayEquals(t.recon().castTo(DataType.DOUBLE).toDoubleVector(), r.recon().toDoubleVector(), 1e-5);
        assertArrayEquals(t.kl().castTo(DataType.DOUBLE).toDoubleVector(), r.kl().toDoubleVector(), 1e-6);
        assertEquals(q.mu().castTo(DataType.DOUBLE), r.mu());
        assertEquals(r.mu(), r.z(), "z = mu with sampling off");
        assertTrue(vae.noise().isSampling(), "the scorer restores the network's sampling switch");
    }

    @Test
    void aRowsDrawDependsOnItsKeyAndTheSeedNotOnItsBatch() {
        Vae vae = vae(new VaeConfig(16, 8, M, 1e-3));
        INDArray x = images(10);
        RowScorer scorer = new RowScorer(vae, 5, true);
        RowScorer.Result all = scorer.score(x, keys(10, 100));
        // The same rows in two batches, the second in reverse order.
        RowScorer.Result head = scorer.score(x.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()), keys(4, 100));
        INDArray tail = Nd4j.vstack(x.getRow(9, true), x.getRow(8, true), x.getRow(7, true), x.getRow(6, true),
                x.getRow(5, true), x.getRow(4, true));
        RowScorer.Result rev = scorer.score(tail, new long[] {109, 108, 107, 106, 105, 104});
        for (int i = 0; i < 10; i++) {
            INDArray z = i < 4 ? head.z().getRow(i) : rev.z().getRow(9 - i);
            double negElbo = i < 4 ? head.recon().getDouble(i) + head.kl().getDouble(i)
                    : rev.recon().getDouble(9 - i) + rev.kl().getDouble(9 - i);
            // Float gemm may block a 4-row and a 10-row batch differently: equal up to rounding.
            assertTrue(all.z().getRow(i).equalsWithEps(z, 1e-5), "row " + i + ": the same draw in any batch");
            assertEquals(all.recon().getDouble(i) + all.kl().getDouble(i), negElbo, 1e-4 * Math.abs(negElbo));
        }
        // A fresh scorer with the same seed repeats the draws; another seed does not.
        assertEquals(all.z(), new RowScorer(vae, 5, true).score(x, keys(10, 100)).z());
        assertFalse(all.z().equalsWithEps(new RowScorer(vae, 6, true).score(x, keys(10, 100)).z(), 1e-3));
        assertFalse(all.z().equalsWithEps(all.mu(), 1e-3), "sampling draws z away from mu");
    }

    @Test
    void theDrawIsTheReparameterisationOfTheKeyedNoise() {
        Vae vae = vae(new VaeConfig(16, 8, M, 1e-3));
        INDArray x = images(5);
        long[] k = keys(5, 40);
        RowScorer.Result r = new RowScorer(vae, 3, true).score(x, k);
        vae.setSampling(false);
        Posterior q = vae.encode(x);
        vae.setSampling(true);
        INDArray eps = RowScorer.noise(3, k, 0, M).castTo(DataType.DOUBLE);
        INDArray expected = q.mu().castTo(DataType.DOUBLE).add(Transforms.exp(q.logSigma().castTo(DataType.DOUBLE)).mul(eps));
        assertTrue(expected.equalsWithEps(r.z(), 1e-5), "z = mu + sigma * eps(seed, key)");
        // Standard normal draws: a loose moment check over many keys.
        INDArray many = RowScorer.noise(3, keys(20_000, 0), 0, M).castTo(DataType.DOUBLE);
        assertEquals(0, many.meanNumber().doubleValue(), 0.02);
        assertEquals(1, many.stdNumber().doubleValue(), 0.02);
    }

    @Test
    void pseudoInputsAndTwoLevelsScoreEveryRowByItsKey() {
        for (VaeConfig c : new VaeConfig[] {new VaeConfig(16, 8, M, 1e-3).withPrior(PriorKind.VAMP, 4),
                new VaeConfig(16, 8, M, 1e-3).withLevels(2)}) {
            Vae vae = vae(c);
            INDArray x = images(6);
            RowScorer scorer = new RowScorer(vae, 1, true);
            RowScorer.Result all = scorer.score(x, keys(6, 0));
            RowScorer.Result one = scorer.score(x.getRow(5, true), new long[] {5});
            assertEquals(6, all.z().rows());
            assertTrue(all.z().getRow(5).equalsWithEps(one.z().getRow(0), 1e-5), c.describe());
            double a = all.recon().getDouble(5) + all.kl().getDouble(5);
            double b = one.recon().getDouble(0) + one.kl().getDouble(0);
            assertEquals(a, b, 1e-4 * Math.abs(a), c.describe());
        }
    }
}
