package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.WorkspaceMode;
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
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FusedDenseRuntime} against DL4J's stock dense runtime, in double precision, with workspaces on as in
 * training: the same network (ReLU 9->8, identity 8->6, then an output layer) with the same parameters gives the same
 * output, score, parameter gradients and input gradient, and lands on the same parameters after SGD steps; a first
 * layer that skips its input gradient changes no parameter gradient; the configuration survives JSON.
 */
class FusedDenseRuntimeTest {
    private static DenseLayer stockLayer(int nIn, int nOut, Activation act) {
        return new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(act).weightInit(new UniformDistribution(-0.5, 0.5)).build();
    }

    private static MultiLayerNetwork network(BiFunction<DenseLayer, Boolean, org.deeplearning4j.nn.conf.layers.Layer> wrap) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new Sgd(0.1))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(wrap.apply(stockLayer(9, 8, Activation.RELU), true))
                .layer(wrap.apply(stockLayer(8, 6, Activation.IDENTITY), false))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(4).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static double relative(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / Math.max(1e-12, a.norm2Number().doubleValue());
    }

    @Test
    void matchesTheStockRuntimeInOutputAndEveryGradient() {
        MultiLayerNetwork stock = network((l, first) -> l);
        MultiLayerNetwork fused = network((l, first) -> FusedDenseLayer.of(l, false));
        assertInstanceOf(FusedDenseRuntime.class, fused.getLayer(0));
        assertInstanceOf(FusedDenseRuntime.class, fused.getLayer(1));
        assertEquals(0, relative(stock.params(), fused.params()), "the stock initialisation, draw for draw");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 9).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 7, 4);
        fused.getLayer(0).setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertTrue(((FusedDenseRuntime) fused.getLayer(0)).covered(), "the fused path runs, not the stock fallback");
        INDArray out = stock.output(x);
        assertTrue(out.equalsWithEps(fused.output(x), 1e-12), "outputs differ");
        Pair<Gradient, INDArray> g0 = stock.calculateGradients(x, y, null, null);
        Pair<Gradient, INDArray> g1 = fused.calculateGradients(x, y, null, null);
        for (String key : g0.getFirst().gradientForVariable().keySet()) {
            assertEquals(0, relative(g0.getFirst().getGradientFor(key), g1.getFirst().getGradientFor(key)), 1e-12, key);
        }
        assertEquals(0, relative(g0.getSecond(), g1.getSecond()), 1e-12, "input gradient");
        assertTrue(g0.getSecond().norm2Number().doubleValue() > 0 && out.norm2Number().doubleValue() > 0, "a test that can fail");

        // SGD steps from the same point land on the same parameters (the kept ReLU mask belongs to each step's input).
        for (int step = 0; step < 3; step++) {
            INDArray xs = Nd4j.rand(DataType.DOUBLE, 7, 9).subi(0.5);
            stock.fit(xs, y);
            fused.fit(xs, y);
        }
        assertEquals(0, relative(stock.params(), fused.params()), 1e-12);
        assertEquals(stock.score(), fused.score(), 1e-12);
    }

    @Test
    void aFirstLayerSkipsOnlyItsInputGradient() {
        MultiLayerNetwork full = network((l, first) -> FusedDenseLayer.of(l, false));
        MultiLayerNetwork skip = network((l, first) -> FusedDenseLayer.of(l, first));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 9).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 5, 4);
        Pair<Gradient, INDArray> a = full.calculateGradients(x, y, null, null);
        Pair<Gradient, INDArray> b = skip.calculateGradients(x, y, null, null);
        assertNotNull(a.getSecond());
        assertNull(b.getSecond(), "no input gradient from a first layer that skips it");
        assertEquals(0, relative(a.getFirst().gradient(), b.getFirst().gradient()), "parameter gradients unchanged");
    }

    @Test
    void copiesEveryStockSettingAndSurvivesJson() throws Exception {
        DenseLayer stock = stockLayer(9, 8, Activation.RELU);
        FusedDenseLayer fused = FusedDenseLayer.of(stock, true);
        var json = NeuralNetConfiguration.mapper();
        ObjectNode a = json.valueToTree(stock);
        ObjectNode b = json.valueToTree(fused);
        assertEquals("org.sparkvae.model.layers.FusedDenseLayer", b.remove("@class").asText());
        assertTrue(b.remove("skipInputGradient").asBoolean());
        a.remove("@class");
        assertEquals(a, b, "every stock field copied");

        MultiLayerNetwork net = network((l, first) -> FusedDenseLayer.of(l, first));
        MultiLayerNetwork back = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
        back.init(net.params().dup(), false);
        assertInstanceOf(FusedDenseRuntime.class, back.getLayer(0));
        assertTrue(((FusedDenseLayer) back.getLayer(0).conf().getLayer()).skipInputGradient());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 9);
        assertTrue(net.output(x).equalsWithEps(back.output(x), 1e-15));
    }
}
