package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The reparameterised Gaussian latent layer q(z|x) = N(mu, diag sigma^2).
 *
 * <p>Input: {@code [h | eps]}, the encoder's hidden activations (nIn columns) followed by M columns of
 * standard normal noise appended by {@link NoiseAppendingPreProcessor}. The noise comes from outside
 * the graph because random ops inside a DL4J SameDiff layer are either frozen across steps or
 * re-drawn between forward and backward pass (see the preprocessor). Because DL4J backprop reuses the
 * stored layer input, the same eps is used forward and backward, and it is fresh every step.
 *
 * <p>Output: {@code [z | mu | logSigma]} (3M columns), z = mu + exp(logSigma) * eps. The log-std is
 * clipped to [-8, 8] so exp never overflows in float.
 */
public final class GaussianLatentLayer extends VaeSameDiffLayer {
    public static final double LOG_SIGMA_BOUND = 8.0;
    static final String WEIGHTS = "W";
    static final String BIAS = "b";

    @JsonProperty private long nIn;
    @JsonProperty private long latentDim;
    @JsonProperty private Long passThrough;

    private GaussianLatentLayer() {
        // for Jackson
    }

    public GaussianLatentLayer(long nIn, long latentDim) {
        if (nIn <= 0 || latentDim <= 0) {
            throw new IllegalArgumentException("nIn and latentDim must be positive: " + nIn + ", " + latentDim);
        }
        this.nIn = nIn;
        this.latentDim = latentDim;
    }

    /**
     * As above, for a second latent level: input {@code [h | carried | eps]} with {@code passThrough}
     * carried columns, output {@code [z | mu | logSigma | carried]}.
     */
    public GaussianLatentLayer(long nIn, long latentDim, long passThrough) {
        this(nIn, latentDim);
        if (passThrough < 0) {
            throw new IllegalArgumentException("passThrough must be >= 0: " + passThrough);
        }
        this.passThrough = passThrough;
    }

    private long carried() {
        return passThrough == null ? 0 : passThrough;
    }

    public long latentDim() {
        return latentDim;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long c = carried();
        SDVariable eps = input.get(SDIndex.all(), SDIndex.interval(nIn + c, nIn + c + latentDim));
        // stats = h W + b with h the first nIn columns, computed as [h | carried | eps] [W; 0] + b: slicing h out of
        // the input copied the whole [n, nIn] block through a strided slice on every call, while the zero rows add
        // only c + M to the gemm's 512-long inner dimension (and exactly 0.0 to each sum).
        SDVariable w = params.get(WEIGHTS);
        SDVariable padded = sd.concat(0, w, sd.zero(null, w.dataType(), c + latentDim, 2 * latentDim));
        SDVariable stats = input.mmul(padded).add(params.get(BIAS));
        SDVariable mu = stats.get(SDIndex.all(), SDIndex.interval(0L, latentDim));
        SDVariable logSigma = sd.math.clipByValue(
                stats.get(SDIndex.all(), SDIndex.interval(latentDim, 2 * latentDim)), -LOG_SIGMA_BOUND, LOG_SIGMA_BOUND);
        SDVariable z = mu.add(sd.math.exp(logSigma).mul(eps));
        if (c == 0) {
            return sd.concat(1, z, mu, logSigma);
        }
        return sd.concat(1, z, mu, logSigma, input.get(SDIndex.all(), SDIndex.interval(nIn, nIn + c)));
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(WEIGHTS, nIn, 2 * latentDim);
        params.addBiasParam(BIAS, 1, 2 * latentDim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initLinear(params.get(WEIGHTS), params.get(BIAS), nIn);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(3 * latentDim + carried());
    }
}
