package org.sparkvae.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** p(z) = N(0, I): the KL from q(z|x) = N(mu, diag sigma^2) has the closed form used here. */
public final class StandardGaussianPrior {
    static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private StandardGaussianPrior() { }

    /** Per-example KL(q || p) = 1/2 sum_m (mu^2 + sigma^2 - 1 - 2 log sigma), shape [n]. */
    public static SDVariable kl(SameDiff sd, SDVariable mu, SDVariable logSigma, long latentDim) {
        SDVariable sigmaSq = sd.math.exp(logSigma.mul(2.0));
        return RowSums.of(mu.mul(mu).add(sigmaSq).sub(1.0).sub(logSigma.mul(2.0)), latentDim).mul(0.5);
    }

    /** Per-example log N(z | 0, I), shape [n]. */
    public static SDVariable logDensity(SameDiff sd, SDVariable z, long latentDim) {
        return RowSums.of(z.mul(z).mul(-0.5).sub(HALF_LOG_2PI), latentDim);
    }
}
