package org.sparkvae.model.prob;

import org.sparkvae.model.workarounds.RowSums;

import org.nd4j.autodiff.samediff.SDVariable;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * Product of Gaussians over pixels: -log p(x|z) = sum_d 1/2 log 2pi + log sigma_d + (x_d - mu_d)^2 / (2 sigma_d^2),
 * with the decoder giving mu(z) and sigma either fixed or one learned value per pixel.
 */
public final class GaussianLikelihood implements Likelihood {
    /** Learned per-pixel log sigma, a parameter of the output layer. */
    public static final String LOG_SIGMA = "logSigmaX";
    /**
     * Floor of a learned sigma. Pixels that are 0 in every image (MNIST's border) let sigma shrink
     * without bound and the likelihood diverge; 0.01 caps each such pixel at about 3.7 nats.
     */
    public static final double MIN_LOG_SIGMA = Math.log(0.01);
    public static final double MAX_LOG_SIGMA = Math.log(100.0);
    /** Initial learned sigma (the exercise starts its std parameter at 0.5). */
    public static final double INITIAL_LOG_SIGMA = Math.log(0.5);

    private final Double fixedVariance;
    private final long width;

    /** {@code fixedVariance} null: one learned sigma per pixel, the parameter {@value #LOG_SIGMA}. */
    public GaussianLikelihood(Double fixedVariance, long width) {
        this.fixedVariance = fixedVariance;
        this.width = width;
    }

    @Override
    public SDVariable negLogLikelihood(SameDiff sd, SDVariable decoded, SDVariable x, Map<String, SDVariable> params) {
        return fixedVariance != null ? negLogLikelihood(sd, decoded, x, fixedVariance, width)
                : negLogLikelihood(sd, decoded, x, clippedLogSigma(sd, params.get(LOG_SIGMA)), width);
    }

    /** The decoder's output is the mean. */
    @Override
    public INDArray mean(INDArray decoded) {
        return decoded.dup();
    }

    @Override
    public INDArray sample(INDArray decoded, Map<String, INDArray> params) {
        return decoded.add(Nd4j.randn(decoded.dataType(), decoded.shape()).muli(sigma(params, decoded.dataType())));
    }

    /** Sigma as the loss uses it: [1, D] (learned, clipped) or a scalar array (fixed). */
    public INDArray sigma(Map<String, INDArray> params, org.nd4j.linalg.api.buffer.DataType dataType) {
        if (fixedVariance != null) {
            return Nd4j.scalar(dataType, Math.sqrt(fixedVariance));
        }
        INDArray raw = params.get(LOG_SIGMA);
        return Transforms.exp(Transforms.max(Transforms.min(raw, MAX_LOG_SIGMA, true), MIN_LOG_SIGMA, false), false);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        if (fixedVariance == null) {
            params.addWeightParam(LOG_SIGMA, 1, width);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        if (params.containsKey(LOG_SIGMA)) {
            params.get(LOG_SIGMA).assign(INITIAL_LOG_SIGMA);
        }
    }

    /** Per-example negative log-likelihood, shape [n]; {@code logSigma} is [1, D] (learned) or [n, D]. */
    public static SDVariable negLogLikelihood(SameDiff sd, SDVariable mean, SDVariable x, SDVariable logSigma, long width) {
        SDVariable t = x.sub(mean).mul(sd.math.exp(logSigma.neg()));
        return RowSums.of(t.mul(t).mul(0.5).add(logSigma).add(StandardGaussianPrior.HALF_LOG_2PI), width);
    }

    /** As above with one fixed variance for all pixels. */
    public static SDVariable negLogLikelihood(SameDiff sd, SDVariable mean, SDVariable x, double variance, long width) {
        SDVariable diff = x.sub(mean);
        double logSigma = 0.5 * Math.log(variance);
        return RowSums.of(diff.mul(diff).mul(0.5 / variance).add(logSigma + StandardGaussianPrior.HALF_LOG_2PI), width);
    }

    /** The learned log sigma as used: clipped to [{@link #MIN_LOG_SIGMA}, {@link #MAX_LOG_SIGMA}]. */
    public static SDVariable clippedLogSigma(SameDiff sd, SDVariable raw) {
        return sd.math.clipByValue(raw, MIN_LOG_SIGMA, MAX_LOG_SIGMA);
    }
}
