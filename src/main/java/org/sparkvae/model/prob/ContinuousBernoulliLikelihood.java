package org.sparkvae.model.prob;

import org.sparkvae.model.workarounds.RowSums;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Continuous Bernoulli (Loaiza-Ganem and Cunningham 2019) with lambda = sigmoid(l):
 * log p(x|l) = x log lambda + (1 - x) log(1 - lambda) + log C(lambda).
 *
 * <p>In terms of the logit the normaliser is simple: 1 - 2 lambda = -tanh(l/2) and
 * artanh(1 - 2 lambda) = -l/2, so C = 2 artanh(1-2 lambda)/(1-2 lambda) = l / tanh(l/2), an even
 * function with C(0) = 2. Near l = 0 (lambda = 1/2) the ratio is 0/0, so it uses the Taylor series
 * log C = log 2 + l^2/12 - 7 l^4/1440 + O(l^6) below {@link #TAYLOR_BELOW}; above it,
 * log|l| - log tanh(|l|/2) with log tanh(a/2) = log1p(-e^-a) - log1p(e^-a), which is stable for large |l|.
 */
public final class ContinuousBernoulliLikelihood implements Likelihood {
    /** |l| below which the Taylor series is used; its error there is below 1e-11. */
    public static final double TAYLOR_BELOW = 0.05;

    private final long width;

    public ContinuousBernoulliLikelihood(long width) {
        this.width = width;
    }

    @Override
    public SDVariable negLogLikelihood(SameDiff sd, SDVariable decoded, SDVariable x, Map<String, SDVariable> params) {
        return negLogLikelihood(sd, decoded, x, width);
    }

    @Override
    public INDArray mean(INDArray decoded) {
        INDArray l = decoded.castTo(DataType.DOUBLE);
        INDArray out = Nd4j.create(DataType.DOUBLE, l.shape());
        for (long i = 0; i < l.length(); i++) {
            out.putScalar(i, mean(l.getDouble(i)));
        }
        return out.castTo(decoded.dataType());
    }

    /** Inverse-CDF draws, one uniform per pixel. */
    @Override
    public INDArray sample(INDArray decoded, Map<String, INDArray> params) {
        INDArray u = Nd4j.rand(DataType.DOUBLE, decoded.shape());
        INDArray l = decoded.castTo(DataType.DOUBLE);
        INDArray x = Nd4j.create(DataType.DOUBLE, decoded.shape());
        for (long i = 0; i < l.length(); i++) {
            x.putScalar(i, sample(l.getDouble(i), u.getDouble(i)));
        }
        return x.castTo(decoded.dataType());
    }

    /** Per-example -log p(x|l), shape [n]. */
    public static SDVariable negLogLikelihood(SameDiff sd, SDVariable logits, SDVariable x, long width) {
        return BernoulliLikelihood.negLogLikelihood(sd, logits, x, width).sub(RowSums.of(logNormaliser(sd, logits), width));
    }

    /** Elementwise log C(sigmoid(l)). */
    public static SDVariable logNormaliser(SameDiff sd, SDVariable l) {
        SDVariable a = sd.math.abs(l);
        SDVariable small = a.lt(TAYLOR_BELOW).castTo(l.dataType());
        SDVariable large = small.rsub(1.0);
        // Where |l| is small the exact branch is evaluated at 1 instead (its value is discarded):
        // no 0/0 and no NaN gradient leaking through the masked-out branch.
        SDVariable aSafe = a.mul(large).add(small);
        SDVariable e = sd.math.exp(aSafe.neg());
        SDVariable exact = sd.math.log(aSafe).sub(sd.math.log1p(e.neg())).add(sd.math.log1p(e));
        SDVariable l2 = l.mul(l);
        SDVariable taylor = l2.div(12.0).sub(l2.mul(l2).mul(7.0 / 1440.0)).add(Math.log(2.0));
        return taylor.mul(small).add(exact.mul(large));
    }

    /** log C for one logit, in double precision (tests, and the mean/sampling code). */
    public static double logNormaliser(double l) {
        double a = Math.abs(l);
        if (a < TAYLOR_BELOW) {
            return Math.log(2.0) + l * l / 12.0 - 7.0 * l * l * l * l / 1440.0;
        }
        double e = Math.exp(-a);
        return Math.log(a) - Math.log1p(-e) + Math.log1p(e);
    }

    /** E[x] = lambda/(2 lambda - 1) + 1/(2 artanh(1 - 2 lambda)) = sigmoid(l)/tanh(l/2) - 1/l; 1/2 + l/12 near 0. */
    public static double mean(double l) {
        if (Math.abs(l) < 1e-3) {
            return 0.5 + l / 12.0;
        }
        return 1.0 / (1.0 + Math.exp(-l)) / Math.tanh(l / 2.0) - 1.0 / l;
    }

    /** Inverse-CDF draw for a uniform u in (0, 1): x = log1p(u (e^l - 1)) / l (x = u at l = 0). */
    public static double sample(double l, double u) {
        if (Math.abs(l) < 1e-6) {
            return u;
        }
        // For l > 0 rewrite as 1 + log(u + (1 - u) e^-l) / l so that e^l cannot overflow.
        double x = l > 0 ? 1.0 + Math.log(u + (1.0 - u) * Math.exp(-l)) / l : Math.log1p(u * Math.expm1(l)) / l;
        return Math.min(1.0, Math.max(0.0, x));
    }
}
