package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the hand-written runtimes of our SameDiff layer configurations share ({@link PassThroughRuntime},
 * {@link GaussianLatentRuntime}): DL4J's runtime SameDiff layer only for its parameter and gradient-view bookkeeping
 * (the layout the SameDiff definition gave saved models; the graph is never built), the training forward pass's output
 * kept for backprop, and the gradient handed back in DL4J's form.
 */
abstract class HandWrittenRuntime extends SameDiffLayer {
    /** The training forward pass's output (in DL4J's activations workspace, alive until backprop ends, as the next layer's input is). */
    INDArray lastOutput;

    HandWrittenRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    INDArray param(String name) {
        return paramTable.get(name);
    }

    INDArray gradientView(String name) {
        return gradTable.get(name);
    }

    DataType paramType() {
        return paramTable.values().iterator().next().dataType();
    }

    /** The output for input {@code in} (already in the parameters' data type), in DL4J's activations workspace. */
    abstract INDArray forward(INDArray in, LayerWorkspaceMgr ws);

    /**
     * Sets the parameter gradient views and returns the input gradient, given the output gradient {@code eps} (both
     * in the parameters' data type); {@link #lastOutput} holds the output of the forward pass over {@code in}.
     */
    abstract INDArray backward(INDArray in, INDArray eps, LayerWorkspaceMgr ws);

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr ws) {
        assertInputSet(false);
        INDArray out = forward(typed(input), ws);
        lastOutput = training ? out : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr ws) {
        assertInputSet(true);
        if (lastOutput == null || lastOutput.size(0) != input.size(0)) {
            // DL4J always runs a training forward pass first; a caller that did not gets the same result, slower.
            activate(true, ws);
        }
        INDArray dIn = backward(typed(input), typed(epsilon), ws);
        Gradient g = new DefaultGradient();
        for (String name : paramTable.keySet()) {
            g.gradientForVariable().put(name, gradTable.get(name));
        }
        lastOutput = null;
        return new Pair<>(g, dIn);
    }

    private INDArray typed(INDArray a) {
        return a.dataType() == paramType() ? a : a.castTo(paramType());
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
    }
}
