package org.sparkvae.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reparameterisation noise is fresh per example and per pass, and reproducible under a seed. */
class NoiseFreshnessTest {
    private static final int M = 4;

    private static Vae smallVae() {
        return Vae.create(new VaeConfig(16, 8, M, 1e-3), 5);
    }

    private static INDArray images(int n) {
        Nd4j.getRandom().setSeed(99);
        return Nd4j.rand(DataType.FLOAT, n, 16).gt(0.5).castTo(DataType.FLOAT);
    }

    @Test
    void twoTrainingModePassesDrawDifferentNoise() {
        Vae vae = smallVae();
        INDArray x = images(6);
        INDArray z1 = vae.encode(x).z();
        INDArray z2 = vae.encode(x).z();
        assertFalse(z1.equalsWithEps(z2, 1e-6), "z must be re-sampled on every pass");
        // Within a batch, the same image appears twice: its two samples differ too.
        INDArray twice = Nd4j.vstack(x.getRow(0, true), x.getRow(0, true));
        INDArray z = vae.encode(twice).z();
        assertFalse(z.getRow(0).equalsWithEps(z.getRow(1), 1e-6), "each example gets its own eps");
    }

    @Test
    void trainingStepUsesTheSameNoiseForwardAndBackward() {
        // If backprop re-drew eps, the latent layer input it differentiates through would differ from the
        // one the forward pass stored. DL4J reuses the stored input: check it is the appended noise we drew.
        Vae vae = smallVae();
        MultiLayerNetwork net = vae.network();
        // Without workspaces the stored layer input stays readable after the step.
        net.getLayerWiseConfigurations().setTrainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE);
        INDArray x = images(5);
        Nd4j.getRandom().setSeed(7);
        net.setInput(x);
        net.setLabels(x);
        net.computeGradientAndScore();
        INDArray stored = net.getLayer(NetworkLayout.latentLayer(net.getLayerWiseConfigurations())).input().dup();
        double scoreOfStep = net.score();
        Nd4j.getRandom().setSeed(7);
        net.computeGradientAndScore();
        assertEquals(scoreOfStep, net.score(), 1e-6, "same seed, same eps, same loss");
        INDArray eps = stored.get(NDArrayIndex.all(), NDArrayIndex.interval(8, 8 + M));
        assertTrue(eps.stdNumber().doubleValue() > 0.3, "appended columns hold N(0,1) noise");
        Nd4j.getRandom().setSeed(8);
        net.computeGradientAndScore();
        assertNotEquals(scoreOfStep, net.score(), "another eps gives another loss");
    }

    @Test
    void evaluationIsReproducibleWithASeed() {
        Vae vae = smallVae();
        INDArray x = images(8);
        Nd4j.getRandom().setSeed(42);
        INDArray a = vae.elboTerms(x).negElbo();
        Nd4j.getRandom().setSeed(42);
        INDArray b = vae.elboTerms(x).negElbo();
        Nd4j.getRandom().setSeed(43);
        INDArray c = vae.elboTerms(x).negElbo();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void samplingOffGivesTheMean() {
        Vae vae = smallVae();
        INDArray x = images(3);
        vae.setSampling(false);
        Posterior p = vae.encode(x);
        assertEquals(p.mu(), p.z());
        assertEquals(vae.elboTerms(x).negElbo(), vae.elboTerms(x).negElbo());
        vae.setSampling(true);
        Posterior q = vae.encode(x);
        assertNotEquals(q.mu(), q.z());
    }
}
