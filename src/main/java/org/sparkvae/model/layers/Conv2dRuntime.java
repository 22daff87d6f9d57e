package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link Conv2dLayer}: one libnd4j {@code conv2d} forward and one {@code conv2d_bp} backward, the ops
 * that run oneDNN's convolution kernels on the oneDNN build.
 *
 * <p><b>Why (DL4J 1.0.0-M2.1).</b> The stock runtime convolves by im2col into a column buffer, one gemm, and col2im
 * backward, and its oneDNN helper is off by default (and slower here when on, bench/README.md). Its two layers were
 * 64 % of the CNN training step (bench/step-profile.sh); the same convolutions as libnd4j ops (the CNN encoder's
 * shapes, one thread, a one-off probe): forward 24.3 / 78.4 ms against 1.9 / 4.0 ms, backward 23.8 / 185 ms against 7.6 / 7.2 ms.
 * {@code Conv2dRuntimeTest} pins it to the stock runtime (output, parameter and input gradients, double precision).
 *
 * <p>Backward runs the forward op again for the pre-activation (one conv2d, cheap beside conv2d_bp) rather than keep
 * it between the passes: DL4J's activations workspace does not promise it lives that long. Settings the fast path
 * does not cover (another data format, dilation, Same mode, dropout) run the stock runtime.
 */
public class Conv2dRuntime extends ConvolutionLayer {
    public Conv2dRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether the layer's settings and the current input take the libnd4j path (else the stock runtime runs). */
    boolean covered() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        return c.getCnn2dDataFormat() == CNN2DFormat.NCHW && c.getConvolutionMode() != ConvolutionMode.Same
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1 && c.getIDropout() == null && c.hasBias()
                && input != null && input.rank() == 4 && input.size(1) == c.getNIn();
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode 0, NCHW 0, weights [cOut, cIn, kH, kW] (format 1). */
    private int[] geometry() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        int[] k = c.getKernelSize(), s = c.getStride(), p = c.getPadding();
        return new int[] {k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, 0, 0, 1};
    }

    private long[] outShape() {
        int[] g = geometry();
        long h = (input.size(2) + 2L * g[4] - g[0]) / g[2] + 1;
        long w = (input.size(3) + 2L * g[5] - g[1]) / g[3] + 1;
        return new long[] {input.size(0), layerConf().getNOut(), h, w};
    }

    private INDArray preActivation(ArrayType type, LayerWorkspaceMgr ws) {
        INDArray x = input.castTo(dataType);
        INDArray pre = ws.createUninitialized(type, dataType, outShape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(layerConf().getNOut()))
                .addOutputs(pre).addIntegerArguments(geometry()).build());
        return pre;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!covered()) {
            return super.activate(training, workspaceMgr);
        }
        INDArray pre = preActivation(ArrayType.ACTIVATIONS, workspaceMgr);
        return layerConf().getActivationFn().getActivation(pre, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!covered()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray pre = preActivation(ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray delta = layerConf().getActivationFn().backprop(pre, epsilon.castTo(dataType)).getFirst();
        INDArray x = input.castTo(dataType);
        INDArray gradIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray wGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray bGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(layerConf().getNOut()), delta)
                .addOutputs(gradIn, wGrad, bGrad.reshape(layerConf().getNOut())).addIntegerArguments(geometry()).build());
        Gradient g = new DefaultGradient();
        g.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, wGrad);
        g.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, bGrad);
        weightNoiseParams.clear();
        return new Pair<>(g, gradIn);
    }
}
