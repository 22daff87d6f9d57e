package org.sparkvae.model.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** What a stock DL4J layer configuration's {@code instantiate} does to its runtime, for ours that swap the runtime. */
final class Runtimes {
    private Runtimes() { }

    static <L extends BaseLayer<?>> L wire(L runtime, ParamInitializer initializer, NeuralNetConfiguration conf,
                                          Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView,
                                          boolean initializeParams) {
        runtime.setListeners(listeners);
        runtime.setIndex(layerIndex);
        runtime.setParamsViewArray(paramsView);
        runtime.setParamTable(initializer.init(conf, paramsView, initializeParams));
        runtime.setConf(conf);
        return runtime;
    }
}
