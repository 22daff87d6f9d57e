package org.sparkvae.model.prob;

import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.layers.ElboOutputLayer;
import org.sparkvae.model.layers.ElboOutputLayerRuntime;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every log-density of the priors and likelihoods against a closed form or a direct sum computed
 * here in double precision, through the very loss layer that is trained.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.sparkvae.model.DoublePrecision.class)
class PriorAndLikelihoodTest {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    /** The loss layer of {@code c} alone, in double precision. */
    private static MultiLayerNetwork lossLayer(VaeConfig c) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new NoOp()).seed(1).list().layer(new ElboOutputLayer(c)).build());
        net.init();
        return net;
    }

    private static Map<String, INDArray> terms(MultiLayerNetwork net, INDArray input, INDArray x) {
        ElboOutputLayerRuntime layer = (ElboOutputLayerRuntime) net.getLayer(0);
        layer.setInput(input, LayerWorkspaceMgr.noWorkspaces());
        layer.setLabels(x);
        return layer.perExampleTerms(ElboOutputLayer.RECON, ElboOutputLayer.KL, ElboOutputLayer.LOG_WEIGHT);
    }

    private static double logNormal(double z, double mu, double logSigma) {
        double t = (z - mu) / Math.exp(logSigma);
        return -0.5 * t * t - logSigma - HALF_LOG_2PI;
    }

    @Test
    void mixturePriorLogDensityIsTheDirectSum() {
        int d = 3, m = 2, k = 3;
        VaeConfig c = new VaeConfig(d, 4, m, 1e-3).withPrior(PriorKind.MOG, k);
        MultiLayerNetwork net = lossLayer(c);
        INDArray means = Nd4j.createFromArray(new double[][] {{0.5, -1}, {2, 0.3}, {-1.5, 1.1}});
        INDArray logStds = Nd4j.createFromArray(new double[][] {{-0.2, 0.1}, {0.4, -0.6}, {0, 0.2}});
        INDArray logits = Nd4j.createFromArray(new double[][] {{0.3, -1.0, 1.2}});
        net.getLayer(0).getParam(MixtureOfGaussiansPrior.MEANS).assign(means);
        net.getLayer(0).getParam(MixtureOfGaussiansPrior.LOG_STDS).assign(logStds);
        net.getLayer(0).getParam(MixtureOfGaussiansPrior.LOGITS).assign(logits);
        double[][] rows = {{0, 0, 0, 0.7, -0.4, 0.5, -0.3, -0.1, 0.2}, {0, 0, 0, 3.0, 2.0, 2.8, 1.9, -2, -1}};
        Map<String, INDArray> t = terms(net, Nd4j.createFromArray(rows), Nd4j.zeros(DataType.DOUBLE, 2, d));
        double norm = Math.exp(0.3) + Math.exp(-1.0) + Math.exp(1.2);
        double[] lg = {0.3, -1.0, 1.2};
        for (int r = 0; r < 2; r++) {
            double p = 0;
            for (int j = 0; j < k; j++) {
                double comp = Math.exp(lg[j]) / norm;
                for (int i = 0; i < m; i++) {
                    comp *= Math.exp(logNormal(rows[r][d + i], means.getDouble(j, i), logStds.getDouble(j, i)));
                }
                p += comp;
            }
            double logQ = 0;
            for (int i = 0; i < m; i++) {
                logQ += logNormal(rows[r][d + i], rows[r][d + m + i], rows[r][d + 2 * m + i]);
            }
            // Monte Carlo KL at the sample = log q(z|x) - log p(z)
            assertEquals(logQ - Math.log(p), t.get(ElboOutputLayer.KL).getDouble(r), 1e-10);
            double recon = 3 * Math.log(2); // logits 0, x = 0
            assertEquals(-(recon + logQ - Math.log(p)), t.get(ElboOutputLayer.LOG_WEIGHT).getDouble(r), 1e-10);
        }
    }

    @Test
    void vampPriorIsTheEqualMixtureOfThePseudoInputPosteriors() {
        // Loss-layer input: K = 2 pseudo-input rows first, then the data rows; columns [out | z | mu | logSigma].
        int d = 2, m = 2, k = 2;
        VaeConfig c = new VaeConfig(d, 4, m, 1e-3).withPrior(PriorKind.VAMP, k);
        double[][] rows = {
                {0, 0, 9, 9, 0.5, -1.0, -0.2, 0.1},   // pseudo-input 1: mu (0.5, -1), logSigma (-0.2, 0.1)
                {0, 0, 9, 9, -1.5, 1.1, 0.3, -0.4},   // pseudo-input 2
                {0.2, -0.7, 0.6, -0.3, 0.4, -0.2, -0.5, 0.0},
                {1.0, 0.0, -1.2, 0.9, -1.0, 1.0, 0.2, 0.1}};
        double[][] x = {{1, 0}, {0, 1}};
        Map<String, INDArray> t = terms(lossLayer(c), Nd4j.createFromArray(rows), Nd4j.createFromArray(x));
        assertEquals(2, t.get(ElboOutputLayer.KL).length(), "one term per image, not per pseudo-input");
        for (int r = 0; r < 2; r++) {
            double[] row = rows[k + r];
            double p = 0;
            for (int j = 0; j < k; j++) {
                double comp = 1.0 / k;
                for (int i = 0; i < m; i++) {
                    comp *= Math.exp(logNormal(row[d + i], rows[j][d + m + i], rows[j][d + 2 * m + i]));
                }
                p += comp;
            }
            double logQ = 0;
            for (int i = 0; i < m; i++) {
                logQ += logNormal(row[d + i], row[d + m + i], row[d + 2 * m + i]);
            }
            assertEquals(logQ - Math.log(p), t.get(ElboOutputLayer.KL).getDouble(r), 1e-10);
            double recon = 0;
            for (int i = 0; i < d; i++) {
                recon += softplus(row[i]) - x[r][i] * row[i];
            }
            assertEquals(recon, t.get(ElboOutputLayer.RECON).getDouble(r), 1e-10);
        }
    }

    @Test
    void twoLevelElboTermsByHand() {
        // Input after the logits: [pmu1 | plogSigma1 | z2 | mu2 | logSigma2 | z1 | mu1 | logSigma1], M = 1.
        int d = 2;
        double[] l = {0.4, -1.3};
        double pMu1 = 0.3, pLs1 = -0.2, z2 = 0.9, mu2 = 0.5, ls2 = -0.6, z1 = -0.4, mu1 = -0.1, ls1 = 0.25;
        double[][] row = {{l[0], l[1], pMu1, pLs1, z2, mu2, ls2, z1, mu1, ls1}};
        double[][] x = {{1, 0}};
        Map<String, INDArray> t = terms(lossLayer(new VaeConfig(d, 4, 1, 1e-3).withLevels(2)),
                Nd4j.createFromArray(row), Nd4j.createFromArray(x));
        double recon = softplus(l[0]) - l[0] + softplus(l[1]);
        double level1 = logNormal(z1, mu1, ls1) - logNormal(z1, pMu1, pLs1);      // not a KL: Monte Carlo
        double s2 = Math.exp(2 * ls2);
        double klTop = 0.5 * (mu2 * mu2 + s2 - 1 - 2 * ls2);                      // closed form
        assertEquals(recon, t.get(ElboOutputLayer.RECON).getDouble(0), 1e-12);
        assertEquals(level1 + klTop, t.get(ElboOutputLayer.KL).getDouble(0), 1e-12);
        double logWeight = -recon - level1 - (logNormal(z2, mu2, ls2) - logNormal(z2, 0, 0));
        assertEquals(logWeight, t.get(ElboOutputLayer.LOG_WEIGHT).getDouble(0), 1e-12);
    }

    @Test
    void mixtureWithOneStandardComponentIsTheGaussianPrior() {
        int d = 2, m = 3;
        VaeConfig gauss = new VaeConfig(d, 4, m, 1e-3);
        MultiLayerNetwork mog = lossLayer(gauss.withPrior(PriorKind.MOG, 1));
        mog.getLayer(0).getParam(MixtureOfGaussiansPrior.MEANS).assign(Nd4j.zeros(DataType.DOUBLE, 1, m));
        mog.getLayer(0).getParam(MixtureOfGaussiansPrior.LOG_STDS).assign(Nd4j.zeros(DataType.DOUBLE, 1, m));
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 5, d + 3 * m);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, d).gt(0.5).castTo(DataType.DOUBLE);
        INDArray a = terms(mog, input, x).get(ElboOutputLayer.LOG_WEIGHT);
        INDArray b = terms(lossLayer(gauss), input, x).get(ElboOutputLayer.LOG_WEIGHT);
        for (int i = 0; i < 5; i++) {
            assertEquals(b.getDouble(i), a.getDouble(i), 1e-10);
        }
    }

    @Test
    void monteCarloKlAveragesToTheClosedForm() {
        // Many z ~ q for one (mu, logSigma): the mean of log q(z) - log p(z) is the closed-form KL.
        int m = 2, n = 20000;
        double[] mu = {0.8, -0.5};
        double[] ls = {-0.7, 0.3};
        Nd4j.getRandom().setSeed(9);
        INDArray eps = Nd4j.randn(DataType.DOUBLE, n, m);
        INDArray input = Nd4j.zeros(DataType.DOUBLE, n, 1 + 3 * m);
        for (int i = 0; i < m; i++) {
            input.getColumn(1 + i).assign(eps.getColumn(i).mul(Math.exp(ls[i])).add(mu[i]));
            input.getColumn(1 + m + i).assign(mu[i]);
            input.getColumn(1 + 2 * m + i).assign(ls[i]);
        }
        Map<String, INDArray> t = terms(lossLayer(new VaeConfig(1, 4, m, 1e-3)), input, Nd4j.zeros(DataType.DOUBLE, n, 1));
        INDArray mcKl = t.get(ElboOutputLayer.LOG_WEIGHT).neg().sub(t.get(ElboOutputLayer.RECON));
        double closed = t.get(ElboOutputLayer.KL).getDouble(0);
        double expected = 0;
        for (int i = 0; i < m; i++) {
            double s2 = Math.exp(2 * ls[i]);
            expected += 0.5 * (mu[i] * mu[i] + s2 - 1 - 2 * ls[i]);
        }
        assertEquals(expected, closed, 1e-12);
        double mean = mcKl.meanNumber().doubleValue();
        double se = mcKl.stdNumber().doubleValue() / Math.sqrt(n);
        assertTrue(Math.abs(mean - closed) < 4 * se, "MC KL " + mean + " +- " + se + " vs closed form " + closed);
    }

    @Test
    void gaussianLikelihoodFixedAndLearnedSigmaByHand() {
        int d = 3, m = 1;
        double[] mean = {0.2, 0.9, -0.1};
        double[] x = {0.0, 1.0, 0.5};
        double[] row = {mean[0], mean[1], mean[2], 0, 0, 0};
        VaeConfig base = new VaeConfig(d, 4, m, 1e-3);
        double variance = 0.1;
        double expectedFixed = 0;
        for (int i = 0; i < d; i++) {
            expectedFixed += -logNormal(x[i], mean[i], 0.5 * Math.log(variance));
        }
        Map<String, INDArray> fixed = terms(lossLayer(base.withLikelihood(LikelihoodKind.GAUSSIAN, variance)),
                Nd4j.createFromArray(new double[][] {row}), Nd4j.createFromArray(new double[][] {x}));
        assertEquals(expectedFixed, fixed.get(ElboOutputLayer.RECON).getDouble(0), 1e-10);

        MultiLayerNetwork learned = lossLayer(base.withLikelihood(LikelihoodKind.GAUSSIAN, null));
        double[] logSigma = {-1.0, 0.5, -10.0}; // the last is below the floor and is clipped to log 0.01
        learned.getLayer(0).getParam(GaussianLikelihood.LOG_SIGMA).assign(Nd4j.createFromArray(new double[][] {logSigma}));
        double expectedLearned = 0;
        for (int i = 0; i < d; i++) {
            expectedLearned += -logNormal(x[i], mean[i], Math.max(logSigma[i], Math.log(0.01)));
        }
        Map<String, INDArray> t = terms(learned, Nd4j.createFromArray(new double[][] {row}), Nd4j.createFromArray(new double[][] {x}));
        assertEquals(expectedLearned, t.get(ElboOutputLayer.RECON).getDouble(0), 1e-9);
    }

    @Test
    void continuousBernoulliNormaliserIsExactAndStableAroundOneHalf() {
        // C = l / tanh(l/2); near 0 the Taylor branch; both branches must agree across the switch.
        double[] ls = {-40, -5, -0.3, -0.0500001, -0.0499999, -1e-4, 0, 1e-7, 0.02, 0.05, 0.7, 12, 80};
        SameDiff sd = SameDiff.create();
        SDVariable l = sd.constant(Nd4j.createFromArray(ls));
        double[] graph = ContinuousBernoulliLikelihood.logNormaliser(sd, l).eval().toDoubleVector();
        for (int i = 0; i < ls.length; i++) {
            double exact = ls[i] == 0 ? Math.log(2) : Math.log(ls[i] / Math.tanh(ls[i] / 2));
            if (Math.abs(ls[i]) < 40) {
                assertEquals(exact, ContinuousBernoulliLikelihood.logNormaliser(ls[i]), 1e-9, "l=" + ls[i]);
            }
            assertEquals(ContinuousBernoulliLikelihood.logNormaliser(ls[i]), graph[i], 1e-9, "graph vs double at l=" + ls[i]);
            assertTrue(Double.isFinite(graph[i]));
        }
    }

    @Test
    void continuousBernoulliDensityIntegratesToOneAndHasTheStatedMean() {
        for (double l : new double[] {-25, -3, -0.04, 0, 1e-3, 0.3, 4, 25}) {
            // Simpson's rule on [0, 1] of p(x|l) = exp(x l - softplus(l) + log C(l)).
            int n = 20000;
            double mass = 0, first = 0;
            for (int i = 0; i <= n; i++) {
                double x = (double) i / n;
                double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
                double p = Math.exp(x * l - softplus(l) + ContinuousBernoulliLikelihood.logNormaliser(l));
                mass += w * p;
                first += w * x * p;
            }
            mass /= 3.0 * n;
            first /= 3.0 * n;
            assertEquals(1.0, mass, 1e-6, "mass at l=" + l);
            assertEquals(first, ContinuousBernoulliLikelihood.mean(l), 1e-6, "mean at l=" + l);
        }
    }

    @Test
    void continuousBernoulliInverseCdfSamplesHaveTheMean() {
        java.util.Random r = new java.util.Random(4);
        for (double l : new double[] {-6, 0, 0.5, 900}) {
            double s = 0;
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                double x = ContinuousBernoulliLikelihood.sample(l, r.nextDouble());
                assertTrue(x >= 0 && x <= 1);
                s += x;
            }
            assertEquals(ContinuousBernoulliLikelihood.mean(l), s / n, 3e-3, "l=" + l);
        }
    }

    @Test
    void continuousBernoulliNegLogLikelihoodThroughTheLossLayer() {
        double[] l = {0.0, 2.0, -3.0, 0.01};
        double[] x = {0.3, 0.9, 0.0, 1.0};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += softplus(l[i]) - x[i] * l[i] - ContinuousBernoulliLikelihood.logNormaliser(l[i]);
        }
        double[] row = {l[0], l[1], l[2], l[3], 0, 0, 0};
        VaeConfig c = new VaeConfig(4, 4, 1, 1e-3).withLikelihood(LikelihoodKind.CB, null);
        Map<String, INDArray> t = terms(lossLayer(c), Nd4j.createFromArray(new double[][] {row}),
                Nd4j.createFromArray(new double[][] {x}));
        assertEquals(expected, t.get(ElboOutputLayer.RECON).getDouble(0), 1e-9);
    }

    private static double softplus(double l) {
        return Math.log1p(Math.exp(-Math.abs(l))) + Math.max(l, 0);
    }
}
