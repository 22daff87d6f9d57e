package org.sparkvae.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.Collection;

/**
 * The MLP encoder's dense layer: DL4J's {@link DenseLayer} configuration (same JSON fields, parameter layout W [nIn, nOut]
 * then b, initialisation and validation), run by {@link FusedDenseRuntime}: one gemm forward, two backward (one for the
 * network's first layer, whose input gradient nothing reads). Models saved before it name the stock class and keep the
 * stock runtime.
 */
public class FusedDenseLayer extends DenseLayer {
    /** True on a network's first layer: backprop returns no input gradient (DL4J's fit discards it there). */
    @JsonProperty private boolean skipInputGradient;

    /** For Jackson (saved configurations). */
    public FusedDenseLayer() {
        super();
    }

    /**
     * The stock layer's settings, every field of them: copied through DL4J's own JSON form (DenseLayer's builder
     * constructor is private, and a field-by-field copy would silently miss one that a later DL4J adds).
     */
    public static FusedDenseLayer of(DenseLayer stock, boolean skipInputGradient) {
        ObjectMapper json = NeuralNetConfiguration.mapper();
        ObjectNode tree = json.valueToTree(stock);
        tree.put("@class", FusedDenseLayer.class.getName());
        tree.put("skipInputGradient", skipInputGradient);
        try {
            return (FusedDenseLayer) json.treeToValue(tree, org.deeplearning4j.nn.conf.layers.Layer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DL4J's DenseLayer configuration did not survive its own JSON form", e);
        }
    }

    boolean skipInputGradient() {
        return skipInputGradient;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        // As DenseLayer.instantiate, with the runtime below.
        LayerValidation.assertNInNOutSet("DenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return Runtimes.wire(new FusedDenseRuntime(conf, networkDataType), initializer(), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
