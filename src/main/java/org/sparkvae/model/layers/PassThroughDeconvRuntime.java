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
        // The image columns as a strided 4D view, not a copy: libnd4j's deconv2d and conv2d read strided input (the same
        // results), and the copy cost 52 ms of the 64->32 layer's 400 on an IWAE pass of 4,000 rows.
        INDArray a = in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.inWidth()))
                .reshape('c', in.size(0), s.channelsIn(), s.size(), s.size());
        if (s.channelsOut() == 1) {
            byPhases(a, w, pre, ws);
        } else {
            Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(a, w, param(PassThroughDeconvLayer.BIAS)).addOutputs(pre)
                    .addIntegerArguments(geometry()).build());
        }
        return pre;
    }

    /**
     * The same transposed convolution as four ordinary convolutions, for one output channel. oneDNN's deconvolution
     * runs at 1.5 GFLOP/s with one output channel (the CNN decoder's last layer: 523 ms of an IWAE pass of 4,000
     * rows, 17 ms of a training step; {@code org.sparkvae.bench.DeconvBenchmark}), while its convolution does well.
     * Output pixel (2y + py, 2x + px) of a stride-2, kernel-4, padding-1 transposed convolution reads input rows
     * y - 1, y (py = 0: kernel rows 3, 1) or y, y + 1 (py = 1: kernel rows 2, 0), and likewise columns: each phase
     * (py, px) is a 2x2 convolution. All four are one 3x3, stride-1, padding-1 conv2d with 4 output channels
     * (kernel taps outside a phase's 2x2 window are zero), and depth_to_space interleaves them: 170 ms and 6 ms.
     */
    private void byPhases(INDArray a, INDArray w, INDArray pre, LayerWorkspaceMgr ws) {
        PassThroughDeconvLayer s = spec();
        long cIn = s.channelsIn();
        // conv2d weights [3, 3, cIn, 4]: tap (u, v) of phase q = 2 py + px is W[py + 3 - 2u, px + 3 - 2v, 0, :].
        INDArray k = ws.create(ArrayType.FF_WORKING_MEM, w.dataType(), new long[] {3, 3, cIn, 4}, 'c');
        for (int u = 0; u < 3; u++) {
            for (int v = 0; v < 3; v++) {
                for (int py = 0; py < 2; py++) {
                    for (int px = 0; px < 2; px++) {
                        int ky = py + 3 - 2 * u;
                        int kx = px + 3 - 2 * v;
                        if (ky >= 0 && ky < 4 && kx >= 0 && kx < 4) {
                            k.get(NDArrayIndex.point(u), NDArrayIndex.point(v), NDArrayIndex.all(), NDArrayIndex.point(2 * py + px))
                                    .assign(w.get(NDArrayIndex.point(ky), NDArrayIndex.point(kx), NDArrayIndex.point(0), NDArrayIndex.all()));
                        }
                    }
                }
            }
        }
        INDArray bias = ws.createUninitialized(ArrayType.FF_WORKING_MEM, w.dataType(), new long[] {4}, 'c')
                .assign(param(PassThroughDeconvLayer.BIAS).getDouble(0));
        INDArray phases = ws.createUninitialized(ArrayType.FF_WORKING_MEM, w.dataType(), new long[] {a.size(0), 4, s.size(), s.size()}, 'c');
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW, weights [kH, kW, iC, oC]
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(a, k, bias).addOutputs(phases)
                .addIntegerArguments(3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0).build());
        // block 2, NCHW: output (2y + py, 2x + px) from channel 2 py + px
        Nd4j.exec(DynamicCustomOp.builder("depth_to_space").addInputs(phases).addOutputs(pre).addIntegerArguments(2, 0).build());
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
