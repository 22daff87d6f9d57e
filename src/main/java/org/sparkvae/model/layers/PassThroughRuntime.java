package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the hand-written decoder runtimes share: output {@code [act(f(in)) | carried columns of in]}, the ReLU
 * mask taken from the kept training output, and the carried columns' gradient passed straight back.
 * Subclasses compute f forward ({@link #transform}) and its input and parameter gradients ({@link #transformBackward}).
 */
abstract class PassThroughRuntime extends HandWrittenRuntime {
    PassThroughRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Width of f's output and of the carried block, where the carried block starts in the input, and the activation. */
    abstract long outWidth();

    abstract long passThrough();

    abstract long carryFrom();

    abstract PassThroughDenseLayer.Activation activation();

    /** f(in) before the activation, [n, outWidth], in {@code FF_WORKING_MEM} or the given array. */
    abstract INDArray transform(INDArray in, LayerWorkspaceMgr ws);

    /** Sets the parameter gradient views and adds the input gradient of f into {@code dIn}, given {@code delta} = dL/df. */
    abstract void transformBackward(INDArray in, INDArray delta, INDArray dIn, LayerWorkspaceMgr ws);

    @Override
    INDArray forward(INDArray in, LayerWorkspaceMgr workspaceMgr) {
        long n = in.size(0);
        long w = outWidth();
        long p = passThrough();
        INDArray pre = transform(in, workspaceMgr);
        if (activation() == PassThroughDenseLayer.Activation.RELU) {
            // In place, then copied: ND4J's ReLU into a strided view (the output's columns) takes 36x as long as in place
            // on the contiguous array, and the copy ~10x (org.sparkvae.bench.DeconvBenchmark's layer row).
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(pre, pre, 0.0));
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, paramType(), new long[] {n, w + p}, 'c');
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, w)).assign(pre.reshape('c', n, w));
        if (p > 0) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(w, w + p))
                    .assign(in.get(NDArrayIndex.all(), NDArrayIndex.interval(carryFrom(), carryFrom() + p)));
        }
        return out;
    }

    @Override
    INDArray backward(INDArray in, INDArray eps, LayerWorkspaceMgr workspaceMgr) {
        long n = in.size(0);
        long w = outWidth();
        long p = passThrough();
        INDArray epsLeft = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, w));
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, paramType(), new long[] {n, w}, 'c');
        if (activation() == PassThroughDenseLayer.Activation.RELU) {
            // relu'(pre) = [out > 0]: the output is the pre-activation where it is positive.
            Nd4j.exec(new RectifiedLinearDerivative(lastOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, w)), epsLeft, delta));
        } else {
            delta.assign(epsLeft);
        }
        INDArray dIn = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, paramType(), in.shape(), 'c'); // zeros
        transformBackward(in, delta, dIn, workspaceMgr);
        if (p > 0) {
            // The carried columns may overlap the read ones (the first decoder layer reads z and carries it): add.
            dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(carryFrom(), carryFrom() + p))
                    .addi(eps.get(NDArrayIndex.all(), NDArrayIndex.interval(w, w + p)));
        }
        return dIn;
    }
}
