package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The VampPrior's K trainable pseudo-inputs u_k, put in front of the minibatch: {@code x [n, D] ->
 * [u ; x] [K + n, D]}. The encoder then computes q(z|u_k) with the very weights it uses for q(z|x),
 * and {@link ElboOutputLayer} takes the first K rows' (mu, logSigma) as the prior's components and
 * the remaining n rows as the data. A MultiLayerNetwork is a chain, so extra rows are the way to run
 * the encoder on inputs that are parameters without duplicating its weights.
 */
public final class PseudoInputLayer extends VaeSameDiffLayer {
    public static final String PSEUDO_INPUTS = "pseudoInputs";

    @JsonProperty private long dataSize;
    @JsonProperty private long components;

    private PseudoInputLayer() {
        // for Jackson
    }

    public PseudoInputLayer(long dataSize, long components) {
        if (dataSize <= 0 || components <= 0) {
            throw new IllegalArgumentException("dataSize and components must be positive: " + dataSize + ", " + components);
        }
        this.dataSize = dataSize;
        this.components = components;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        return sd.concat(0, params.get(PSEUDO_INPUTS), input);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(PSEUDO_INPUTS, components, dataSize);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // Pixel-like values: uniform in [0, 1], like a blurred image.
        INDArray u = params.get(PSEUDO_INPUTS);
        u.assign(Nd4j.rand(u.dataType(), u.shape()));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(dataSize);
    }
}
