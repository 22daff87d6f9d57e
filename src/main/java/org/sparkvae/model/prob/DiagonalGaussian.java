package org.sparkvae.model.prob;

import org.sparkvae.model.workarounds.RowSums;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** log N(z | mu, diag exp(logSigma)^2) summed over the last axis: the posterior's log-density at its sample. */
public final class DiagonalGaussian {
    private DiagonalGaussian() { }

    /** Per-example log-density, shape [n], for z, mu, logSigma of shape [n, M]. */
    public static SDVariable logDensity(SameDiff sd, SDVariable z, SDVariable mu, SDVariable logSigma, long latentDim) {
        SDVariable t = z.sub(mu).mul(sd.math.exp(logSigma.neg()));
        return RowSums.of(t.mul(t).mul(-0.5).sub(logSigma).sub(StandardGaussianPrior.HALF_LOG_2PI), latentDim);
    }
}
