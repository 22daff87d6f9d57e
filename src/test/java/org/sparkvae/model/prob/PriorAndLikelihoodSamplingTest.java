package org.sparkvae.model.prob;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.workarounds.Nd4jSeeds;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The {@link Prior} and {@link Likelihood} interfaces on their own: which priors have a closed-form KL, and
 * that draws have the moments of the distributions they claim (20,000 draws; tolerances ~5 standard errors).
 */
class PriorAndLikelihoodSamplingTest {
    private static final int N = 20_000;

    @Test
    void onlyTheStandardGaussianHasAClosedFormKl() {
        SameDiff sd = SameDiff.create();
        SDVariable mu = sd.var("mu", Nd4j.zeros(DataType.DOUBLE, 3, 2));
        SDVariable logSigma = sd.var("ls", Nd4j.zeros(DataType.DOUBLE, 3, 2));
        assertNotNull(Prior.of(PriorKind.GAUSSIAN, 1, 2).closedFormKl(sd, mu, logSigma));
        assertNull(Prior.of(PriorKind.MOG, 3, 2).closedFormKl(sd, mu, logSigma));
        assertNull(Prior.of(PriorKind.VAMP, 3, 2).closedFormKl(sd, mu, logSigma));
    }

    @Test
    void mixtureDrawsFollowTheWeightsMeansAndStds() {
        Nd4jSeeds.seed(11);
        // Component 1 holds e^2/(2 + e^2) = 78.7 % of the mass; the others share the rest.
        Map<String, INDArray> params = Map.of(
                MixtureOfGaussiansPrior.MEANS, Nd4j.createFromArray(new double[][] {{-10, 0}, {3, -2}, {10, 0}}),
                MixtureOfGaussiansPrior.LOG_STDS, Nd4j.createFromArray(new double[][] {{0, 0}, {Math.log(0.5), Math.log(2)}, {0, 0}}),
                MixtureOfGaussiansPrior.LOGITS, Nd4j.createFromArray(new double[][] {{0, 2, 0}}));
        INDArray z = Prior.of(PriorKind.MOG, 3, 2).sample(N, params, DataType.DOUBLE);
        assertEquals(N, z.rows());
        double inMiddle = 0;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < N; i++) {
            double a = z.getDouble(i, 0);
            if (Math.abs(a) < 6) { // component 1 (components 0 and 2 sit at -10 and 10)
                inMiddle++;
                sum += a;
                sumSq += a * a;
            }
        }
        double weight = Math.exp(2) / (2 + Math.exp(2));
        assertEquals(weight, inMiddle / N, 0.015);
        double mean = sum / inMiddle;
        assertEquals(3, mean, 0.03);
        assertEquals(0.5, Math.sqrt(sumSq / inMiddle - mean * mean), 0.02);
    }

    @Test
    void vampDrawsAreAnEqualMixtureOfTheGivenPosteriors() {
        Nd4jSeeds.seed(12);
        Map<String, INDArray> params = Map.of(
                MixtureOfGaussiansPrior.MEANS, Nd4j.createFromArray(new double[][] {{-5}, {5}}),
                MixtureOfGaussiansPrior.LOG_STDS, Nd4j.createFromArray(new double[][] {{Math.log(0.1)}, {Math.log(0.1)}}));
        INDArray z = Prior.of(PriorKind.VAMP, 2, 1).sample(N, params, DataType.DOUBLE);
        long positive = 0;
        for (int i = 0; i < N; i++) {
            double a = z.getDouble(i, 0);
            assertEquals(5, Math.abs(a), 0.6, "every draw is near one of the components");
            positive += a > 0 ? 1 : 0;
        }
        assertEquals(0.5, positive / (double) N, 0.02);
    }

    @Test
    void standardGaussianDrawsHaveUnitMoments() {
        Nd4jSeeds.seed(13);
        INDArray z = Prior.of(PriorKind.GAUSSIAN, 1, 4).sample(N, Map.of(), DataType.DOUBLE);
        assertEquals(0, z.meanNumber().doubleValue(), 0.02);
        assertEquals(1, z.stdNumber().doubleValue(), 0.02);
    }

    @Test
    void likelihoodMeansAndDraws() {
        Nd4jSeeds.seed(14);
        INDArray logits = Nd4j.valueArrayOf(new long[] {N, 1}, 0.8, DataType.DOUBLE);
        double p = 1 / (1 + Math.exp(-0.8));
        Likelihood bernoulli = Likelihood.of(LikelihoodKind.BERNOULLI, null, 1);
        assertEquals(p, bernoulli.mean(logits).getDouble(0), 1e-12);
        assertEquals(p, bernoulli.sample(logits, Map.of()).meanNumber().doubleValue(), 0.015);

        Likelihood cb = Likelihood.of(LikelihoodKind.CB, null, 1);
        assertEquals(ContinuousBernoulliLikelihood.mean(0.8), cb.mean(logits).getDouble(0), 1e-12);
        assertEquals(ContinuousBernoulliLikelihood.mean(0.8), cb.sample(logits, Map.of()).meanNumber().doubleValue(), 0.01);

        INDArray means = Nd4j.valueArrayOf(new long[] {N, 1}, 0.3, DataType.DOUBLE);
        Likelihood fixed = Likelihood.of(LikelihoodKind.GAUSSIAN, 0.25, 1);
        assertEquals(0.3, fixed.mean(means).getDouble(0), 1e-12);
        INDArray x = fixed.sample(means, Map.of());
        assertEquals(0.3, x.meanNumber().doubleValue(), 0.02);
        assertEquals(0.5, x.stdNumber().doubleValue(), 0.01);
        // Learned sigma: the parameter as the loss clips it (log 100 at most).
        Likelihood learned = Likelihood.of(LikelihoodKind.GAUSSIAN, null, 1);
        INDArray y = learned.sample(means, Map.of(GaussianLikelihood.LOG_SIGMA, Nd4j.createFromArray(new double[][] {{Math.log(0.2)}})));
        assertEquals(0.2, y.stdNumber().doubleValue(), 0.005);
    }
}
