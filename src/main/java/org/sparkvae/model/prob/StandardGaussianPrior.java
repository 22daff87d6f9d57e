package org.sparkvae.model.prob;

import org.sparkvae.model.workarounds.RowSums;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/** p(z) = N(0, I): the KL from q(z|x) = N(mu, diag sigma^2) has the closed form used here. */
public final class StandardGaussianPrior implements Prior {
    static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final long latentDim;

    public StandardGaussianPrior(long latentDim) {
        this.latentDim = latentDim;
    }

    @Override
    public SDVariable logDensity(SameDiff sd, SDVariable z, Map<String, SDVariable> params) {
        return logDensity(sd, z, latentDim);
    }

    @Override
    public SDVariable closedFormKl(SameDiff sd, SDVariable mu, SDVariable logSigma) {
        return kl(sd, mu, logSigma, latentDim);
    }

    @Override
    public INDArray sample(int n, Map<String, INDArray> params, DataType dataType) {
        return Nd4j.randn(dataType, n, latentDim);
    }

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
