package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime of {@link PassThroughDeconvLayer}, written by hand: libnd4j's {@code deconv2d} forward and
 * {@code deconv2d_bp} backward (the ops SameDiff runs for the layer's definition), called once each.
 *
 * <p>Why not SameDiff: as for {@link PassThroughDenseRuntime} — per-op session overhead, and DL4J's SameDiff backprop
 * runs the forward graph (here a transposed convolution) a second time. {@code PassThroughDeconvRuntimeTest} pins it
 * to the SameDiff definition. Parameters keep the SameDiff layer's layout (W [4, 4, cOut, cIn], then b).
 */
final class PassThroughDeconvRuntime extends PassThroughRuntime {
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
    long outWidth() {
        return spec().outWidth();
    }

    @Override
    long passThrough() {
        return spec().passThrough();
    }

    @Override
    long carryFrom() {
        return spec().inWidth();
    }

    @Override
    PassThroughDenseLayer.Activation activation() {
        return spec().activation();
    }

    /** The input image [n, cIn, s, s], copied out of the row's first columns. */
    private INDArray image(INDArray in, ArrayType type, LayerWorkspaceMgr ws) {
        PassThroughDeconvLayer s = spec();
        return ws.dup(type, in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.inWidth())), 'c')
                .reshape('c', in.size(0), s.channelsIn(), s.size(), s.size());
    }

    @Override
    INDArray transform(INDArray in, LayerWorkspaceMgr ws) {
        PassThroughDeconvLayer s = spec();
        INDArray w = param(PassThroughDeconvLayer.WEIGHTS);
        INDArray pre = ws.createUninitialized(ArrayType.FF_WORKING_MEM, w.dataType(),
                new long[] {in.size(0), s.channelsOut(), 2 * s.size(), 2 * s.size()}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(image(in, ArrayType.FF_WORKING_MEM, ws), w,
                param(PassThroughDeconvLayer.BIAS)).addOutputs(pre).addIntegerArguments(geometry()).build());
        return pre;
    }

    @Override
    void transformBackward(INDArray in, INDArray delta, INDArray dIn, LayerWorkspaceMgr ws) {
        PassThroughDeconvLayer s = spec();
        INDArray a = image(in, ArrayType.BP_WORKING_MEM, ws);
        INDArray gradIn = ws.createUninitialized(ArrayType.BP_WORKING_MEM, a.dataType(), a.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp")
                .addInputs(a, param(PassThroughDeconvLayer.WEIGHTS), param(PassThroughDeconvLayer.BIAS),
                        delta.reshape('c', in.size(0), s.channelsOut(), 2 * s.size(), 2 * s.size()))
                .addOutputs(gradIn, gradientView(PassThroughDeconvLayer.WEIGHTS), gradientView(PassThroughDeconvLayer.BIAS))
                .addIntegerArguments(geometry()).build());
        dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.inWidth())).addi(gradIn.reshape('c', in.size(0), s.inWidth()));
    }
}
