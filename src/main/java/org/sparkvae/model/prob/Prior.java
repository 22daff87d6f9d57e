package org.sparkvae.model.prob;

import org.sparkvae.model.PriorKind;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * p(z), the prior over the latent code: its log density (in the loss graph), the KL from a diagonal Gaussian
 * posterior when it has a closed form (else the loss uses the one-sample estimate log q(z|x) - log p(z)), draws,
 * and the parameters it owns in the ELBO layer. Parameters are passed by name, as graph variables in the loss
 * and as arrays when sampling: the loss layer's own trainable parameters (the mixture prior), or the statistics
 * the network computes for it (the VampPrior's pseudo-input posteriors, under {@link MixtureOfGaussiansPrior#MEANS}
 * and {@link MixtureOfGaussiansPrior#LOG_STDS}).
 */
public interface Prior {
    /** Per-example log p(z), shape [n], for z [n, M]. */
    SDVariable logDensity(SameDiff sd, SDVariable z, Map<String, SDVariable> params);

    /** Per-example KL(N(mu, diag sigma^2) || p), shape [n], or null when there is no closed form. */
    default SDVariable closedFormKl(SameDiff sd, SDVariable mu, SDVariable logSigma) {
        return null;
    }

    /** {@code n} draws z ~ p(z), [n, M], from ND4J's random stream. */
    INDArray sample(int n, Map<String, INDArray> params, DataType dataType);

    /** The trainable parameters this prior keeps in the ELBO layer (none by default). */
    default void defineParameters(SDLayerParams params) { }

    default void initializeParameters(Map<String, INDArray> params) { }

    /** The prior of a configuration: {@code components} mixture components (mog, vamp) in {@code latentDim} dimensions. */
    static Prior of(PriorKind kind, int components, long latentDim) {
        return switch (kind) {
            case GAUSSIAN -> new StandardGaussianPrior(latentDim);
            case MOG -> new MixtureOfGaussiansPrior(components, latentDim);
            case VAMP -> new VampPrior(components, latentDim);
        };
    }
}
