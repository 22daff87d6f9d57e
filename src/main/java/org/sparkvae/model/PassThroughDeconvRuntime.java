package org.sparkvae.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime of {@link PassThroughDeconvLayer}, written by hand: libnd4j's {@code deconv2d} forward and
 * {@code deconv2d_bp} backward (the ops SameDiff runs for the layer's definition), called once each.
 *
 * <p>Why not SameDiff: as for {@link PassThroughDenseRuntime} — per-op session overhead, and DL4J's SameDiff
 * backprop runs the forward graph (here a transposed convolution) a second time. {@code PassThroughDeconvRuntimeTest}
 * pins it to the SameDiff definition. Parameters keep the SameDiff layer's layout (W [4, 4, cOut, cIn], then b).
 */
final class PassThroughDeconvRuntime extends SameDiffLayer {
    private INDArray lastOutput;

    PassThroughDeconvRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private PassThroughDeconvLayer spec() {
        return (PassThroughDeconvLayer) layerConf();
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW: the layer's fixed geometry (kernel 4, stride 2, padding 1). */
    private static int[] geometry() {
        int k = PassThroughDeconvLayer.KERNEL;
        return new int[] {k, k, 2, 2, 1, 1, 1, 1, 0, 0};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        PassThroughDeconvLayer s = spec();
        INDArray w = paramTable.get(PassThroughDeconvLayer.WEIGHTS);
        INDArray b = paramTable.get(PassThroughDeconvLayer.BIAS);
        DataType type = w.dataType();
        INDArray in = input.dataType() == type ? input : input.castTo(type);
        long n = in.size(0);
        long inWidth = s.inWidth();
        long outWidth = s.outWidth();
        long p = s.passThrough();
        INDArray a = workspaceMgr.dup(ArrayType.FF_WORKING_MEM, in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, inWidth)), 'c')
                .reshape('c', n, s.channelsIn(), s.size(), s.size());
        INDArray pre = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, type,
                new long[] {n, s.channelsOut(), 2 * s.size(), 2 * s.size()}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(a, w, b).addOutputs(pre)
                .addIntegerArguments(geometry()).build());
        if (s.activation() == PassThroughDenseLayer.Activation.RELU) {
            Nd4j.exec(new RectifiedLinear(pre, pre, 0.0));
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, type, new long[] {n, outWidth + p}, 'c');
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, outWidth)).assign(pre.reshape('c', n, outWidth));
        if (p > 0) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(outWidth, outWidth + p))
                    .assign(in.get(NDArrayIndex.all(), NDArrayIndex.interval(inWidth, inWidth + p)));
        }
        lastOutput = training ? out : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (lastOutput == null || lastOutput.size(0) != input.size(0)) {
            activate(true, workspaceMgr);
        }
        PassThroughDeconvLayer s = spec();
        INDArray w = paramTable.get(PassThroughDeconvLayer.WEIGHTS);
        INDArray b = paramTable.get(PassThroughDeconvLayer.BIAS);
        DataType type = w.dataType();
        INDArray in = input.dataType() == type ? input : input.castTo(type);
        INDArray eps = epsilon.dataType() == type ? epsilon : epsilon.castTo(type);
        long n = in.size(0);
        long inWidth = s.inWidth();
        long outWidth = s.outWidth();
        long p = s.passThrough();
        INDArray epsLeft = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, outWidth));
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[] {n, outWidth}, 'c');
        if (s.activation() == PassThroughDenseLayer.Activation.RELU) {
            Nd4j.exec(new RectifiedLinearDerivative(lastOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, outWidth)), epsLeft, delta));
        } else {
            delta.assign(epsLeft);
        }
        INDArray a = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, inWidth)), 'c')
                .reshape('c', n, s.channelsIn(), s.size(), s.size());
        INDArray gradOut = delta.reshape('c', n, s.channelsOut(), 2 * s.size(), 2 * s.size());
        INDArray gradIn = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, a.shape(), 'c');
        INDArray gw = gradTable.get(PassThroughDeconvLayer.WEIGHTS);
        INDArray gb = gradTable.get(PassThroughDeconvLayer.BIAS);
        Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp").addInputs(a, w, b, gradOut).addOutputs(gradIn, gw, gb)
                .addIntegerArguments(geometry()).build());

        INDArray dIn = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, type, in.shape(), 'c'); // zeros
        dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(0, inWidth)).assign(gradIn.reshape('c', n, inWidth));
        if (p > 0) {
            dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(inWidth, inWidth + p))
                    .assign(eps.get(NDArrayIndex.all(), NDArrayIndex.interval(outWidth, outWidth + p)));
        }
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(PassThroughDeconvLayer.WEIGHTS, gw);
        g.gradientForVariable().put(PassThroughDeconvLayer.BIAS, gb);
        lastOutput = null;
        return new Pair<>(g, dIn);
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
    }
}
