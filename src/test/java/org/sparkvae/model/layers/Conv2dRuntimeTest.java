package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Conv2dRuntime} against DL4J's stock convolution runtime, in double precision: the same network (two 4x4
 * stride-2 padding-1 ReLU convolutions, as the CNN encoder, then a dense output) with the same parameters gives the
 * same output, score, parameter gradients and input gradient; its configuration survives JSON.
 */
class Conv2dRuntimeTest {
    private static MultiLayerNetwork network(Function<ConvolutionLayer.Builder, ConvolutionLayer> conv) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new Sgd(0.1))
                .list()
                .layer(conv.apply(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(2).nOut(3).activation(Activation.RELU)))
                .layer(conv.apply(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(3).nOut(5).activation(Activation.RELU)))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(12, 12, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void matchesTheStockRuntimeInOutputAndEveryGradient() {
        MultiLayerNetwork stock = network(ConvolutionLayer.Builder::build);
        MultiLayerNetwork fast = network(Conv2dLayer::new);
        assertInstanceOf(Conv2dRuntime.class, fast.getLayer(0));
        fast.setParams(stock.params().dup());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 2, 12, 12).subi(0.5);
        fast.getLayer(0).setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertTrue(((Conv2dRuntime) fast.getLayer(0)).covered(), "the libnd4j path runs, not the stock fallback");
        INDArray y = Nd4j.rand(DataType.DOUBLE, 6, 4);
        INDArray out = stock.output(x);
        assertTrue(out.equalsWithEps(fast.output(x), 1e-12), "outputs differ");
        Pair<Gradient, INDArray> g0 = stock.calculateGradients(x, y, null, null);
        Pair<Gradient, INDArray> g1 = fast.calculateGradients(x, y, null, null);
        for (String key : g0.getFirst().gradientForVariable().keySet()) {
            INDArray a = g0.getFirst().getGradientFor(key), b = g1.getFirst().getGradientFor(key);
            double scale = Math.max(1e-12, a.norm2Number().doubleValue());
            assertEquals(0, a.sub(b).norm2Number().doubleValue() / scale, 1e-10, key);
        }
        INDArray e0 = g0.getSecond(), e1 = g1.getSecond();
        assertEquals(0, e0.sub(e1).norm2Number().doubleValue() / e0.norm2Number().doubleValue(), 1e-10, "input gradient");
        assertTrue(e0.norm2Number().doubleValue() > 0 && out.norm2Number().doubleValue() > 0, "a test that can fail");

        // One SGD step each from the same point lands on the same parameters.
        stock.fit(x, y);
        fast.fit(x, y);
        assertEquals(0, stock.params().sub(fast.params()).norm2Number().doubleValue() / stock.params().norm2Number().doubleValue(),
                1e-10);
    }

    @Test
    void theConfigurationSurvivesJsonAndKeepsTheFastRuntime() {
        MultiLayerNetwork fast = network(Conv2dLayer::new);
        String json = fast.getLayerWiseConfigurations().toJson();
        assertTrue(json.contains("\"org.sparkvae.model.layers.Conv2dLayer\""), json);
        MultiLayerNetwork back = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        back.init(fast.params().dup(), false);
        assertInstanceOf(Conv2dRuntime.class, back.getLayer(1));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 12, 12);
        assertTrue(fast.output(x).equalsWithEps(back.output(x), 1e-15));
    }
}
