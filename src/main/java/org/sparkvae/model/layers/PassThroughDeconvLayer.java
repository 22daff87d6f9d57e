package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A decoder transposed convolution (kernel 4, stride 2, padding 1: doubles height and width) that
 * carries the posterior statistics along, like {@link PassThroughDenseLayer}: input
 * {@code [a | s]} with a = a flattened [channelsIn, size, size] image (NCHW order), output
 * {@code [act(deconv(a)) flattened | s]} with a [channelsOut, 2 size, 2 size] image.
 *
 * <p>DL4J's own {@code Deconvolution2D} cannot be used here: a MultiLayerNetwork is a chain and the
 * loss layer at its end needs (z, mu, logSigma), which a stock layer would drop.
 */
public final class PassThroughDeconvLayer extends VaeSameDiffLayer {
    static final String WEIGHTS = "W";
    static final String BIAS = "b";
    static final int KERNEL = 4;

    @JsonProperty private long channelsIn;
    @JsonProperty private long channelsOut;
    @JsonProperty private long size;
    @JsonProperty private long passThrough;
    @JsonProperty private PassThroughDenseLayer.Activation activation;

    private PassThroughDeconvLayer() {
        // for Jackson
    }

    public PassThroughDeconvLayer(long channelsIn, long channelsOut, long size, long passThrough,
                                  PassThroughDenseLayer.Activation activation) {
        if (channelsIn <= 0 || channelsOut <= 0 || size <= 0 || passThrough < 0) {
            throw new IllegalArgumentException("bad sizes channelsIn=" + channelsIn + " channelsOut=" + channelsOut
                    + " size=" + size + " passThrough=" + passThrough);
        }
        this.channelsIn = channelsIn;
        this.channelsOut = channelsOut;
        this.size = size;
        this.passThrough = passThrough;
        this.activation = activation;
    }

    long inWidth() {
        return channelsIn * size * size;
    }

    long outWidth() {
        return channelsOut * 4 * size * size;
    }

    long channelsIn() {
        return channelsIn;
    }

    long channelsOut() {
        return channelsOut;
    }

    long size() {
        return size;
    }

    long passThrough() {
        return passThrough;
    }

    PassThroughDenseLayer.Activation activation() {
        return activation;
    }

    /** Hand-written ({@link PassThroughDeconvRuntime}); {@link #defineLayer} is its specification. */
    @Override
    protected org.deeplearning4j.nn.layers.samediff.SameDiffLayer runtime(org.deeplearning4j.nn.conf.NeuralNetConfiguration conf,
                                                                         org.nd4j.linalg.api.buffer.DataType dataType) {
        return new PassThroughDeconvRuntime(conf, dataType);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable a = input.get(SDIndex.all(), SDIndex.interval(0L, inWidth()))
                .reshape(-1, channelsIn, size, size);
        DeConv2DConfig conf = DeConv2DConfig.builder().kH(KERNEL).kW(KERNEL).sH(2).sW(2).pH(1).pW(1)
                .isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
        SDVariable pre = sd.cnn().deconv2d(a, params.get(WEIGHTS), params.get(BIAS), conf);
        SDVariable act = activation == PassThroughDenseLayer.Activation.RELU ? sd.nn.relu(pre, 0.0) : pre;
        SDVariable out = act.reshape(-1, outWidth());
        if (passThrough == 0) {
            return out;
        }
        SDVariable carried = input.get(SDIndex.all(), SDIndex.interval(inWidth(), inWidth() + passThrough));
        return sd.concat(1, out, carried);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // libnd4j's deconv2d weight layout: [kH, kW, channelsOut, channelsIn].
        params.addWeightParam(WEIGHTS, KERNEL, KERNEL, channelsOut, channelsIn);
        params.addBiasParam(BIAS, channelsOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initLinear(params.get(WEIGHTS), params.get(BIAS), channelsIn * KERNEL * KERNEL);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(outWidth() + passThrough);
    }
}
