package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the hand-written decoder runtimes share: output {@code [act(f(in)) | carried columns of in]}, the ReLU
 * mask taken from the kept training output, and the carried columns' gradient passed straight back.
 * Subclasses compute f forward ({@link #transform}) and its input and parameter gradients ({@link #transformBackward}).
 *
 * <p>Extends DL4J's runtime SameDiff layer only for its parameter and gradient-view bookkeeping (the layout the
 * SameDiff definition gave saved models); its graph is never built.
 */
abstract class PassThroughRuntime extends SameDiffLayer {
    /** The training forward pass's output (in DL4J's activations workspace, alive until backprop ends, as the next layer's input is). */
    private INDArray lastOutput;

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

    INDArray param(String name) {
        return paramTable.get(name);
    }

    INDArray gradientView(String name) {
        return gradTable.get(name);
    }

    private DataType paramType() {
        return paramTable.values().iterator().next().dataType();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray in = input.dataType() == paramType() ? input : input.castTo(paramType());
        long n = in.size(0);
        long w = outWidth();
        long p = passThrough();
        INDArray pre = transform(in, workspaceMgr);
        if (activation() == PassThroughDenseLayer.Activation.RELU) {
            // In place, then copied: ND4J's ReLU into a strided view (the output's columns) takes 36x as long as in place
            // on the contiguous array, and the copy ~10x (a one-off probe at [4000, 6272]; bench/README.md, "Tried and not kept").
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(pre, pre, 0.0));
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, paramType(), new long[] {n, w + p}, 'c');
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, w)).assign(pre.reshape('c', n, w));
        if (p > 0) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(w, w + p))
                    .assign(in.get(NDArrayIndex.all(), NDArrayIndex.interval(carryFrom(), carryFrom() + p)));
        }
        lastOutput = training ? out : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (lastOutput == null || lastOutput.size(0) != input.size(0)) {
            // DL4J always runs a training forward pass first; a caller that did not gets the same result, slower.
            activate(true, workspaceMgr);
        }
        INDArray in = input.dataType() == paramType() ? input : input.castTo(paramType());
        INDArray eps = epsilon.dataType() == paramType() ? epsilon : epsilon.castTo(paramType());
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
        Gradient g = new DefaultGradient();
        for (String name : paramTable.keySet()) {
            g.gradientForVariable().put(name, gradTable.get(name));
        }
        lastOutput = null;
        return new Pair<>(g, dIn);
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
    }
}
