package org.sparkvae.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Product of Bernoullis over pixels, parameterised by logits l: -log p(x|z) = sum_d softplus(l_d) - x_d l_d. */
public final class BernoulliLikelihood {
    private BernoulliLikelihood() { }

    /**
     * Per-example negative log-likelihood, shape [n]. softplus(l) - x l is computed as
     * relu(l) - x l + log1p(exp(-|l|)), which neither overflows nor loses precision for large |l|.
     */
    public static SDVariable negLogLikelihood(SameDiff sd, SDVariable logits, SDVariable x, long width) {
        SDVariable softplus = sd.nn.relu(logits, 0.0).add(sd.math.log1p(sd.math.exp(sd.math.abs(logits).neg())));
        return RowSums.of(softplus.sub(x.mul(logits)), width);
    }
}
