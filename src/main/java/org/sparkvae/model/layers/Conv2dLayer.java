package org.sparkvae.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * The CNN encoder's convolution: DL4J's {@link ConvolutionLayer} configuration (same JSON fields, parameter layout
 * W [cOut, cIn, kH, kW] then b, initialisation and validation), run by {@link Conv2dRuntime} through libnd4j's
 * {@code conv2d}/{@code conv2d_bp} ops. Models saved before it name the stock class and keep the stock runtime.
 */
public class Conv2dLayer extends ConvolutionLayer {
    /** For Jackson (saved configurations). */
    public Conv2dLayer() {
        super();
    }

    /** The stock builder's settings, run by the fast runtime. */
    public Conv2dLayer(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        // As ConvolutionLayer.instantiate, with the runtime below.
        return Runtimes.wire(new Conv2dRuntime(conf, networkDataType), initializer(), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
