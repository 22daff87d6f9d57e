package org.sparkvae.model.layers;

import org.sparkvae.model.workarounds.SurrogateBackpropSameDiffLayer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * Base of this project's SameDiff hidden layers: instantiates {@link SurrogateBackpropSameDiffLayer}
 * (correct gradients) instead of DL4J's stock runtime layer (doubled gradients).
 */
public abstract class VaeSameDiffLayer extends SameDiffLayer {

    protected VaeSameDiffLayer() {
        // for Jackson
    }

    /**
     * The runtime layer DL4J runs for this configuration: the repaired SameDiff runtime, unless a layer supplies a
     * hand-written one (its {@code defineLayer} then stays the specification the runtime is tested against).
     */
    protected org.deeplearning4j.nn.layers.samediff.SameDiffLayer runtime(NeuralNetConfiguration conf, DataType dataType) {
        return new SurrogateBackpropSameDiffLayer(conf, dataType);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return wire(runtime(conf, networkDataType), conf, layerIndex, layerParamsView, initializeParams);
    }

    /** The repaired SameDiff runtime of this definition whatever {@link #runtime} says (the reference, for tests). */
    Layer instantiateSameDiff(NeuralNetConfiguration conf, INDArray layerParamsView, DataType networkDataType) {
        return wire(new SurrogateBackpropSameDiffLayer(conf, networkDataType), conf, 0, layerParamsView, false);
    }

    private Layer wire(org.deeplearning4j.nn.layers.samediff.SameDiffLayer ret, NeuralNetConfiguration conf, int layerIndex,
                       INDArray layerParamsView, boolean initializeParams) {
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    /**
     * PyTorch's {@code nn.Linear} default, U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weights and biases,
     * so that our runs start where the reference implementation starts.
     */
    protected static void initLinear(INDArray weights, INDArray bias, long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        uniform(weights, bound);
        uniform(bias, bound);
    }

    public static void uniform(INDArray array, double bound) {
        array.assign(org.nd4j.linalg.factory.Nd4j.rand(array.dataType(), array.shape()).muli(2 * bound).subi(bound));
    }
}
