package org.sparkvae.model.prob;

import org.sparkvae.model.LikelihoodKind;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * p(x|z), a product over pixels given the decoder's output (logits, or Gaussian means): the negative log density
 * in the loss graph, the mean E[x|z], draws, and the parameters it owns in the ELBO layer (a learned per-pixel
 * sigma). Parameters are passed by name, as graph variables in the loss and as arrays when sampling.
 */
public interface Likelihood {
    /** Per-example -log p(x|z), shape [n], for the decoder output and x, both [n, D]. */
    SDVariable negLogLikelihood(SameDiff sd, SDVariable decoded, SDVariable x, Map<String, SDVariable> params);

    /** E[x|z] for the decoder output [n, D] (a new array: the input is left as it is). */
    INDArray mean(INDArray decoded);

    /** One draw x ~ p(x|z) per row of the decoder output, from ND4J's random stream. */
    INDArray sample(INDArray decoded, Map<String, INDArray> params);

    /** The trainable parameters this likelihood keeps in the ELBO layer (none by default). */
    default void defineParameters(SDLayerParams params) { }

    default void initializeParameters(Map<String, INDArray> params) { }

    /** The likelihood of a configuration over {@code width} pixels; {@code fixedVariance} only for the Gaussian (null: learned). */
    static Likelihood of(LikelihoodKind kind, Double fixedVariance, long width) {
        return switch (kind) {
            case BERNOULLI -> new BernoulliLikelihood(width);
            case CB -> new ContinuousBernoulliLikelihood(width);
            case GAUSSIAN -> new GaussianLikelihood(fixedVariance, width);
        };
    }
}
