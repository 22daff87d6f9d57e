package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A decoder dense layer that carries the posterior statistics along: input {@code [a | s]} with nIn
 * columns of activations and {@code passThrough} columns of (z, mu, logSigma), output
 * {@code [act(a W + b) | s]}. A MultiLayerNetwork is a chain, so this is how the ELBO output layer
 * at its end sees q(z|x) as well as the decoder output.
 *
 * <p>The carried columns start at {@code carryFrom} (default nIn). The first decoder layer reads z
 * from columns [0, M) of {@code [z | mu | logSigma]} and carries all 3M columns (carryFrom = 0).
 */
public final class PassThroughDenseLayer extends VaeSameDiffLayer {
    static final String WEIGHTS = "W";
    static final String BIAS = "b";

    /** Activation of the transformed columns. */
    public enum Activation { RELU, IDENTITY }

    @JsonProperty private long nIn;
    @JsonProperty private long nOut;
    @JsonProperty private long passThrough;
    @JsonProperty private Activation activation;
    @JsonProperty private Long carryFrom;
    @JsonProperty private Long readFrom;

    private PassThroughDenseLayer() {
        // for Jackson
    }

    public PassThroughDenseLayer(long nIn, long nOut, long passThrough, Activation activation) {
        if (nIn <= 0 || nOut <= 0 || passThrough < 0) {
            throw new IllegalArgumentException("bad sizes nIn=" + nIn + " nOut=" + nOut + " passThrough=" + passThrough);
        }
        this.nIn = nIn;
        this.nOut = nOut;
        this.passThrough = passThrough;
        this.activation = activation;
    }

    /** As above, carrying {@code passThrough} input columns from column {@code carryFrom} on. */
    public PassThroughDenseLayer(long nIn, long nOut, long carryFrom, long passThrough, Activation activation) {
        this(nIn, nOut, passThrough, activation);
        if (carryFrom < 0) {
            throw new IllegalArgumentException("carryFrom must be >= 0: " + carryFrom);
        }
        this.carryFrom = carryFrom;
    }

    /** As above, transforming input columns [readFrom, readFrom + nIn) instead of [0, nIn). */
    public PassThroughDenseLayer(long nIn, long nOut, long readFrom, long carryFrom, long passThrough, Activation activation) {
        this(nIn, nOut, carryFrom, passThrough, activation);
        if (readFrom < 0) {
            throw new IllegalArgumentException("readFrom must be >= 0: " + readFrom);
        }
        this.readFrom = readFrom;
    }

    long nIn() {
        return nIn;
    }

    long nOut() {
        return nOut;
    }

    long passThrough() {
        return passThrough;
    }

    Activation activation() {
        return activation;
    }

    long readFrom() {
        return readFrom == null ? 0 : readFrom;
    }

    long carryFrom() {
        return carryFrom == null ? nIn : carryFrom;
    }

    /** Hand-written ({@link PassThroughDenseRuntime}); {@link #defineLayer} is its specification. */
    @Override
    protected org.deeplearning4j.nn.layers.samediff.SameDiffLayer runtime(NeuralNetConfiguration conf, DataType dataType) {
        return new PassThroughDenseRuntime(conf, dataType);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long r = readFrom == null ? 0 : readFrom;
        SDVariable a = input.get(SDIndex.all(), SDIndex.interval(r, r + nIn));
        SDVariable pre = a.mmul(params.get(WEIGHTS)).add(params.get(BIAS));
        SDVariable out = activation == Activation.RELU ? sd.nn.relu(pre, 0.0) : pre;
        if (passThrough == 0) {
            return out;
        }
        long from = carryFrom == null ? nIn : carryFrom;
        SDVariable carried = input.get(SDIndex.all(), SDIndex.interval(from, from + passThrough));
        return sd.concat(1, out, carried);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(WEIGHTS, nIn, nOut);
        params.addBiasParam(BIAS, 1, nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initLinear(params.get(WEIGHTS), params.get(BIAS), nIn);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nOut + passThrough);
    }
}
