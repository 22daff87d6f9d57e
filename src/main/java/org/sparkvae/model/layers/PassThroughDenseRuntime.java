package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime of {@link PassThroughDenseLayer}, written by hand: {@code [act(in[:, r:r+nIn] W + b) | carried]} with
 * one gemm forward and two backward.
 *
 * <p><b>Why not SameDiff</b> (the configuration still defines the layer in SameDiff, as its specification): a
 * SameDiff layer runs its graph through an {@code InferenceSession} per call (op lookup, shape calculation, array
 * bookkeeping for each op) and DL4J's SameDiff backprop runs the whole forward graph again before the backward one.
 * The decoder's dense layers carry half the FLOPs of the MLP (bench/README.md: ≈ 50 → 43 ms per step).
 * {@code PassThroughDenseRuntimeTest} pins this class to the SameDiff definition.
 */
final class PassThroughDenseRuntime extends PassThroughRuntime {
    PassThroughDenseRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private PassThroughDenseLayer spec() {
        return (PassThroughDenseLayer) layerConf();
    }

    @Override
    long outWidth() {
        return spec().nOut();
    }

    @Override
    long passThrough() {
        return spec().passThrough();
    }

    @Override
    long carryFrom() {
        return spec().carryFrom();
    }

    @Override
    PassThroughDenseLayer.Activation activation() {
        return spec().activation();
    }

    private INDArray read(INDArray in) {
        return in.get(NDArrayIndex.all(), NDArrayIndex.interval(spec().readFrom(), spec().readFrom() + spec().nIn()));
    }

    @Override
    INDArray transform(INDArray in, LayerWorkspaceMgr ws) {
        INDArray w = param(PassThroughDenseLayer.WEIGHTS);
        INDArray pre = ws.createUninitialized(ArrayType.FF_WORKING_MEM, w.dataType(), new long[] {in.size(0), spec().nOut()}, 'c');
        Nd4j.exec(new Mmul(read(in), w, pre, 1.0, 0.0, MMulTranspose.allFalse()));
        return pre.addiRowVector(param(PassThroughDenseLayer.BIAS));
    }

    @Override
    void transformBackward(INDArray in, INDArray delta, INDArray dIn, LayerWorkspaceMgr ws) {
        INDArray w = param(PassThroughDenseLayer.WEIGHTS);
        Nd4j.exec(new Mmul(read(in), delta, gradientView(PassThroughDenseLayer.WEIGHTS), 1.0, 0.0,
                MMulTranspose.builder().transposeA(true).build()));
        gradientView(PassThroughDenseLayer.BIAS).assign(delta.sum(true, 0));
        INDArray back = ws.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), new long[] {in.size(0), spec().nIn()}, 'c');
        Nd4j.exec(new Mmul(delta, w, back, 1.0, 0.0, MMulTranspose.builder().transposeB(true).build()));
        read(dIn).addi(back);
    }
}
