package org.sparkvae.evaluate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.model.Features;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.train.LocalTrainer;
import org.sparkvae.train.TrainingOptions;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IWAE bound on a model briefly trained on real MNIST: K = 1 is the ELBO, and it tightens with K. */
class IwaeEvaluatorTest {
    private static INDArray test;
    private static Vae gaussian;
    private static Vae mixture;

    @BeforeAll
    static void trainSmallModels() throws Exception {
        Path slice = Path.of(IwaeEvaluatorTest.class.getResource("/mnist-slice").toURI());
        MnistFiles files = new MnistFiles(slice.toString());
        INDArray train = Features.of(files.read28x28(MnistFiles.Split.TRAIN), DataMode.BINARY);
        test = Features.of(files.read28x28(MnistFiles.Split.TEST).head(300), DataMode.BINARY);
        gaussian = Vae.create(VaeConfig.mnist(5), 1);
        new LocalTrainer(new TrainingOptions(2, 100, 1)).train(gaussian, train, m -> { });
        mixture = Vae.create(VaeConfig.mnist(5).withPrior(PriorKind.MOG, 4), 1);
        new LocalTrainer(new TrainingOptions(2, 100, 1)).train(mixture, train, m -> { });
    }

    @Test
    void repeatPutsTheKCopiesOfAnImageNextToEachOther() {
        INDArray x = Nd4j.create(new float[][] {{1, 2}, {3, 4}});
        INDArray r = x.repeat(0, 3);
        assertEquals(6, r.rows());
        assertEquals(x.getRow(0), r.getRow(2));
        assertEquals(x.getRow(1), r.getRow(3));
    }

    @Test
    void oneSampleIsTheElboInExpectation() {
        for (Vae vae : new Vae[] {gaussian, mixture}) {
            double[] iwae1 = new IwaeEvaluator(1, false).perImage(vae, test, 11);
            // The per-image one-sample -ELBO, with fresh z, several times to shrink the noise.
            double[] elbo = new double[iwae1.length];
            int reps = 4;
            for (int r = 0; r < reps; r++) {
                Nd4j.getRandom().setSeed(100 + r);
                double[] v = vae.elboTerms(test).negElbo().castTo(DataType.DOUBLE).toDoubleVector();
                for (int i = 0; i < v.length; i++) {
                    elbo[i] += v[i] / reps;
                }
            }
            double[] diff = new double[iwae1.length];
            for (int i = 0; i < diff.length; i++) {
                diff[i] = iwae1[i] - elbo[i];
            }
            double mean = Arrays.stream(diff).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(diff).map(d -> (d - mean) * (d - mean)).sum() / (diff.length - 1));
            double se = sd / Math.sqrt(diff.length);
            assertTrue(Math.abs(mean) < 4 * se + 1e-3, vae.config().describe() + ": IWAE-1 - ELBO = " + mean + " +- " + se);
        }
    }

    @Test
    void theBoundTightensWithK() {
        for (Vae vae : new Vae[] {gaussian, mixture}) {
            double k1 = new IwaeEvaluator(1, false).sums(vae, test, 3).meanNll();
            double k10 = new IwaeEvaluator(10, false).sums(vae, test, 3).meanNll();
            double k100 = new IwaeEvaluator(100, false).sums(vae, test, 3).meanNll();
            assertTrue(k10 < k1 - 0.5 && k100 < k10, vae.config().describe() + ": IWAE-1 " + k1 + ", IWAE-10 " + k10
                    + ", IWAE-100 " + k100);
        }
    }

    @Test
    void logSumExpIsStableAndExact() {
        double[] v = {-1000, -1000 + Math.log(3)};
        assertEquals(-1000 + Math.log(4), IwaeEvaluator.logSumExp(v, 0, 2), 1e-9);
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), IwaeEvaluator.logSumExp(new double[] {1, 2, 3}, 0, 3), 1e-12);
    }

    @Test
    void badKIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IwaeEvaluator(0, false));
    }
}
