package org.sparkvae.model.prob;

import org.sparkvae.model.workarounds.RowSums;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/** Product of Bernoullis over pixels, parameterised by logits l: -log p(x|z) = sum_d softplus(l_d) - x_d l_d. */
public final class BernoulliLikelihood implements Likelihood {
    private final long width;

    public BernoulliLikelihood(long width) {
        this.width = width;
    }

    @Override
    public SDVariable negLogLikelihood(SameDiff sd, SDVariable decoded, SDVariable x, Map<String, SDVariable> params) {
        return negLogLikelihood(sd, decoded, x, width);
    }

    /** sigmoid(l). */
    @Override
    public INDArray mean(INDArray decoded) {
        return Transforms.sigmoid(decoded, true);
    }

    @Override
    public INDArray sample(INDArray decoded, Map<String, INDArray> params) {
        return sample(Transforms.sigmoid(decoded, true));
    }

    /** One draw x ~ p(x|z) per row of Bernoulli means. */
    public static INDArray sample(INDArray probabilities) {
        INDArray u = Nd4j.rand(probabilities.dataType(), probabilities.shape());
        return u.lt(probabilities).castTo(probabilities.dataType());
    }

    /**
     * Per-example negative log-likelihood, shape [n]. softplus(l) - x l is computed as
     * relu(l) - x l + log1p(exp(-|l|)), which neither overflows nor loses precision for large |l|.
     */
    public static SDVariable negLogLikelihood(SameDiff sd, SDVariable logits, SDVariable x, long width) {
        SDVariable softplus = sd.nn.relu(logits, 0.0).add(sd.math.log1p(sd.math.exp(sd.math.abs(logits).neg())));
        return RowSums.of(softplus.sub(x.mul(logits)), width);
    }
}
