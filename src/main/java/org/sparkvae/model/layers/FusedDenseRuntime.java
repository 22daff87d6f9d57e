package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link FusedDenseLayer}: {@code act(x W + b)} with one libnd4j {@code matmul} forward, written straight
 * into the row-major activations array, and two backward (weights, input), one for a first layer.
 *
 * <p><b>Why (DL4J 1.0.0-M2.1).</b> The stock runtime costs three things on top of the gemm (bench/README.md, "Where one
 * training step goes": its two encoder layers were 26 % of the MLP step, the decoder's hand-written ones of the same
 * FLOPs 9 % forward): its activations array is row-major while {@code INDArray.mmuli} only writes column-major results,
 * so every forward pass ends in a transposing copy of the [batch, nOut] output ({@code old_assign}, as costly as the gemm
 * in the evaluation profile); its backprop runs the forward gemm again for the pre-activation; and it computes the
 * first layer's input gradient, a [batch, 784] gemm that {@code MultiLayerNetwork.calcBackpropGradients} then drops.
 * Here the ReLU mask is read from the training forward pass's output (kept in DL4J's activations workspace, alive
 * until backprop ends, as the next layer's input is), as {@link PassThroughRuntime} does.
 * {@code FusedDenseRuntimeTest} pins it to the stock runtime (output, parameter and input gradients, double precision).
 * Settings the fast path does not cover (another activation, dropout, weight noise, layer norm, no bias) run the stock runtime.
 */
public class FusedDenseRuntime extends DenseLayer {
    /** The training forward pass's output, for the ReLU mask. */
    private INDArray lastOutput;

    public FusedDenseRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether the layer's settings and the current input take the fused path (else the stock runtime runs). */
    boolean covered() {
        org.deeplearning4j.nn.conf.layers.DenseLayer c = layerConf();
        return (c.getActivationFn() instanceof ActivationReLU || c.getActivationFn() instanceof ActivationIdentity)
                && c.getIDropout() == null && c.getWeightNoise() == null && !c.hasLayerNorm() && c.hasBias()
                && input != null && input.rank() == 2 && input.size(1) == c.getNIn() && maskArray == null;
    }

    private boolean relu() {
        return layerConf().getActivationFn() instanceof ActivationReLU;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!covered()) {
            lastOutput = null;
            return super.activate(training, workspaceMgr);
        }
        INDArray x = input.castTo(dataType);
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {x.size(0), w.size(1)}, 'c');
        Nd4j.exec(new Mmul(x, w, out, 1.0, 0.0, MMulTranspose.allFalse()));
        out.addiRowVector(getParam(DefaultParamInitializer.BIAS_KEY));
        if (relu()) {
            Nd4j.exec(new RectifiedLinear(out, out, 0.0));
        }
        lastOutput = training ? out : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!covered()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        if (lastOutput == null || lastOutput.size(0) != input.size(0)) {
            // DL4J always runs a training forward pass first; a caller that did not gets the same result, slower.
            activate(true, workspaceMgr);
        }
        INDArray x = input.castTo(dataType);
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray eps = epsilon.castTo(dataType);
        INDArray delta = eps;
        if (relu()) {
            // relu'(pre) = [out > 0]: the output is the pre-activation where it is positive.
            delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, eps.shape(), 'c');
            Nd4j.exec(new RectifiedLinearDerivative(lastOutput, eps, delta));
        }
        INDArray wGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray bGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        Nd4j.exec(new Mmul(x, delta, wGrad, 1.0, 0.0, MMulTranspose.builder().transposeA(true).build()));
        bGrad.assign(delta.sum(true, 0));
        INDArray dIn = null;
        if (!((FusedDenseLayer) layerConf()).skipInputGradient()) {
            dIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
            Nd4j.exec(new Mmul(delta, w, dIn, 1.0, 0.0, MMulTranspose.builder().transposeB(true).build()));
        }
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, wGrad);
        g.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, bGrad);
        lastOutput = null;
        return new Pair<>(g, dIn);
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
    }
}
