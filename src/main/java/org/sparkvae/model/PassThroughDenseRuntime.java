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
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime of {@link PassThroughDenseLayer}, written by hand: {@code out = [act(in[:, r:r+nIn] W + b) | in[:, c:c+p]]}
 * with one gemm forward and two backward.
 *
 * <p><b>Why not SameDiff</b> (the configuration still defines the layer in SameDiff, as its specification):
 * a SameDiff layer runs its graph through an {@code InferenceSession} per call (op lookup, shape calculation,
 * array bookkeeping for each of its ~6 ops) and DL4J's SameDiff backprop runs the whole forward graph again
 * before the backward one. The decoder's dense layers carry half the FLOPs of the MLP; they were ~20 % of a
 * training step in overhead alone (bench/README.md). {@code PassThroughDenseRuntimeTest} pins this class to the
 * SameDiff definition: outputs, parameter gradients and input gradients.
 *
 * <p>Parameters and gradients are DL4J's flattened views laid out as the SameDiff layer laid them out
 * (W [nIn, nOut] in c order, then b [1, nOut]), so saved models and Spark's parameter averaging are unchanged.
 * This extends DL4J's runtime SameDiff layer only for its parameter bookkeeping; its graph is never built.
 */
final class PassThroughDenseRuntime extends SameDiffLayer {
    /** The training forward pass's output (in DL4J's activations workspace, alive until backprop ends, as the next layer's input is). */
    private INDArray lastOutput;

    PassThroughDenseRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private PassThroughDenseLayer spec() {
        return (PassThroughDenseLayer) layerConf();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        PassThroughDenseLayer s = spec();
        INDArray w = paramTable.get(PassThroughDenseLayer.WEIGHTS);
        INDArray b = paramTable.get(PassThroughDenseLayer.BIAS);
        INDArray in = input.dataType() == w.dataType() ? input : input.castTo(w.dataType());
        long n = in.size(0);
        long nIn = s.nIn();
        long nOut = s.nOut();
        long p = s.passThrough();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), new long[] {n, nOut + p}, 'c');
        INDArray a = in.get(NDArrayIndex.all(), NDArrayIndex.interval(s.readFrom(), s.readFrom() + nIn));
        INDArray pre = p == 0 ? out : workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, w.dataType(), new long[] {n, nOut}, 'c');
        Nd4j.exec(new Mmul(a, w, pre, 1.0, 0.0, MMulTranspose.allFalse()));
        pre.addiRowVector(b);
        if (s.activation() == PassThroughDenseLayer.Activation.RELU) {
            Nd4j.exec(new RectifiedLinear(pre, pre, 0.0));
        }
        if (p > 0) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nOut)).assign(pre);
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(nOut, nOut + p))
                    .assign(in.get(NDArrayIndex.all(), NDArrayIndex.interval(s.carryFrom(), s.carryFrom() + p)));
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
        PassThroughDenseLayer s = spec();
        INDArray w = paramTable.get(PassThroughDenseLayer.WEIGHTS);
        DataType type = w.dataType();
        INDArray in = input.dataType() == type ? input : input.castTo(type);
        INDArray eps = epsilon.dataType() == type ? epsilon : epsilon.castTo(type);
        long n = in.size(0);
        long nIn = s.nIn();
        long nOut = s.nOut();
        long p = s.passThrough();
        INDArray outLeft = lastOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nOut));
        INDArray epsLeft = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nOut));
        INDArray delta;
        if (s.activation() == PassThroughDenseLayer.Activation.RELU) {
            // relu'(pre) = [out > 0]: the output is the pre-activation where it is positive.
            delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[] {n, nOut}, 'c');
            Nd4j.exec(new RectifiedLinearDerivative(outLeft, epsLeft, delta));
        } else {
            delta = epsLeft;
        }
        INDArray a = in.get(NDArrayIndex.all(), NDArrayIndex.interval(s.readFrom(), s.readFrom() + nIn));
        INDArray gw = gradTable.get(PassThroughDenseLayer.WEIGHTS);
        INDArray gb = gradTable.get(PassThroughDenseLayer.BIAS);
        Nd4j.exec(new Mmul(a, delta, gw, 1.0, 0.0, MMulTranspose.builder().transposeA(true).build()));
        gb.assign(delta.sum(true, 0));

        INDArray dIn = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, type, in.shape(), 'c'); // zeros
        INDArray dA = dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(s.readFrom(), s.readFrom() + nIn));
        INDArray back = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[] {n, nIn}, 'c');
        Nd4j.exec(new Mmul(delta, w, back, 1.0, 0.0, MMulTranspose.builder().transposeB(true).build()));
        dA.addi(back);
        if (p > 0) {
            // The carried columns may overlap the read ones (the first decoder layer reads z and carries it): add.
            dIn.get(NDArrayIndex.all(), NDArrayIndex.interval(s.carryFrom(), s.carryFrom() + p))
                    .addi(eps.get(NDArrayIndex.all(), NDArrayIndex.interval(nOut, nOut + p)));
        }
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(PassThroughDenseLayer.WEIGHTS, gw);
        g.gradientForVariable().put(PassThroughDenseLayer.BIAS, gb);
        lastOutput = null;
        return new Pair<>(g, dIn);
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
    }
}
