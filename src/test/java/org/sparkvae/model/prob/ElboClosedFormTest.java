package org.sparkvae.model.prob;

import org.sparkvae.model.layers.ElboOutputLayer;
import org.sparkvae.model.layers.ElboOutputLayerRuntime;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The loss layer's terms against closed forms computed here by hand, in double precision. */
class ElboClosedFormTest {

    /** Runs the ELBO output layer alone on [logits | mu | logSigma] with labels x. */
    private static Map<String, INDArray> terms(double[][] input, double[][] x, int d, int m) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new ElboOutputLayer(d, m)).build());
        net.init();
        ElboOutputLayerRuntime layer = (ElboOutputLayerRuntime) net.getLayer(0);
        layer.setInput(Nd4j.create(input), LayerWorkspaceMgr.noWorkspaces());
        layer.setLabels(Nd4j.create(x));
        return layer.perExampleTerms();
    }

    private static double softplus(double l) {
        return Math.log1p(Math.exp(-Math.abs(l))) + Math.max(l, 0);
    }

    @Test
    void bernoulliNegLogLikelihoodByHand() {
        // -log p(x|l) = sum_d softplus(l) - x l; include large |l| where a naive log(1+exp(l)) overflows.
        double[] l = {0.0, 2.0, -3.0, 80.0, -80.0};
        double[] x = {1, 0, 1, 1, 0};
        double expected = 0;
        for (int i = 0; i < l.length; i++) {
            expected += softplus(l[i]) - x[i] * l[i];
        }
        // l = 0 with x = 1: log 2; l = 2, x = 0: softplus(2) = 2.126928...
        assertEquals(Math.log(2) + 2.1269280110429727 + (softplus(-3) + 3) + softplus(80) - 80 + softplus(-80), expected, 1e-12);
        double[] row = new double[l.length + 2];
        System.arraycopy(l, 0, row, 0, l.length);
        Map<String, INDArray> t = terms(new double[][] {row}, new double[][] {x}, l.length, 1);
        assertEquals(expected, t.get(ElboOutputLayer.RECON).getDouble(0), 1e-10);
    }

    @Test
    void klToStandardNormalMatchesTheUnivariateFormula() {
        // KL(N(mu, s^2) || N(0, 1)) = ln(1/s) + (s^2 + mu^2)/2 - 1/2, summed over dims.
        double[] mu = {0.5, -1.2, 0.0};
        double[] logSigma = {-0.3, 0.4, 0.0};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double s = Math.exp(logSigma[i]);
            expected += Math.log(1 / s) + (s * s + mu[i] * mu[i]) / 2 - 0.5;
        }
        double[] row = {0.1, mu[0], mu[1], mu[2], logSigma[0], logSigma[1], logSigma[2]};
        Map<String, INDArray> t = terms(new double[][] {row}, new double[][] {{1}}, 1, 3);
        assertEquals(expected, t.get(ElboOutputLayer.KL).getDouble(0), 1e-12);
    }

    @Test
    void klIsZeroAtThePriorAndTermsArePerExample() {
        // rows: [l1 l2 | mu1 mu2 | logSigma1 logSigma2]
        double[][] input = {{0.0, 0.0, 0, 0, 0, 0}, {1.0, -1.0, 0, 0, 0, 0}};
        double[][] x = {{1, 0}, {0, 0}};
        Map<String, INDArray> t = terms(input, x, 2, 2);
        assertEquals(0.0, t.get(ElboOutputLayer.KL).getDouble(0), 1e-15);
        assertEquals(0.0, t.get(ElboOutputLayer.KL).getDouble(1), 1e-15);
        assertEquals(2 * Math.log(2), t.get(ElboOutputLayer.RECON).getDouble(0), 1e-12);
        assertEquals(softplus(1.0) + softplus(-1.0), t.get(ElboOutputLayer.RECON).getDouble(1), 1e-12);
    }
}
