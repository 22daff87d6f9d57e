package org.sparkvae.model.layers;

import org.sparkvae.model.workarounds.Nd4jSeeds;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written decoder layer ({@link PassThroughDenseRuntime}) against its SameDiff definition, run by the
 * repaired SameDiff runtime on the same parameters: output, W and b gradients and the input gradient, in double
 * precision, for every way the network uses the layer (reading z out of [z | mu | logSigma] and carrying the
 * overlapping columns, reading from an offset, identity output, no carried columns).
 */
class PassThroughDenseRuntimeTest {
    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + " shape");
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-12 * scale, what + ": max |difference| " + diff);
    }

    private static void check(PassThroughDenseLayer layer, long inputColumns) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).layer(layer).build();
        INDArray params = Nd4j.create(DataType.DOUBLE, 1, layer.initializer().numParams(conf));
        Nd4j.getRandom().setSeed(Nd4jSeeds.of(5));
        Layer mine = layer.instantiate(conf, List.of(), 0, params, true, DataType.DOUBLE);
        assertInstanceOf(PassThroughDenseRuntime.class, mine);
        compare(mine, layer.instantiateSameDiff(conf.clone(), params, DataType.DOUBLE), inputColumns);
    }

    /** Runs both runtimes, which share one parameter array, forward and backward on the same data and compares. */
    static void compare(Layer mine, Layer reference, long inputColumns) {
        long n = mine.numParams();
        mine.setBackpropGradientsViewArray(Nd4j.create(DataType.DOUBLE, 1, n));
        reference.setBackpropGradientsViewArray(Nd4j.create(DataType.DOUBLE, 1, n));

        INDArray x = Nd4j.randn(DataType.DOUBLE, 7, inputColumns);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        mine.setInput(x, ws);
        reference.setInput(x, ws);
        INDArray out = mine.activate(true, ws).dup();
        assertClose(reference.activate(true, ws), out, "output");
        INDArray eps = Nd4j.randn(DataType.DOUBLE, out.shape());
        Pair<Gradient, INDArray> a = mine.backpropGradient(eps, ws);
        Pair<Gradient, INDArray> b = reference.backpropGradient(eps, ws);
        assertClose(b.getSecond(), a.getSecond(), "input gradient");
        for (String p : List.of("W", "b")) {
            assertClose(b.getFirst().getGradientFor(p), a.getFirst().getGradientFor(p), p + " gradient");
        }
        assertTrue(a.getFirst().getGradientFor("W").amaxNumber().doubleValue() > 0, "a gradient at all");
    }

    @Test
    void firstDecoderLayerReadsZAndCarriesTheOverlappingColumns() {
        check(new PassThroughDenseLayer(3, 6, 0, 0, 9, PassThroughDenseLayer.Activation.RELU), 9);
    }

    @Test
    void hiddenLayerCarriesTheColumnsAfterItsInput() {
        check(new PassThroughDenseLayer(6, 5, 9, PassThroughDenseLayer.Activation.RELU), 15);
    }

    @Test
    void outputLayerIsLinear() {
        check(new PassThroughDenseLayer(6, 8, 9, PassThroughDenseLayer.Activation.IDENTITY), 15);
    }

    @Test
    void readsFromAnOffsetAsTheTwoLevelPriorNetworkDoes() {
        check(new PassThroughDenseLayer(5, 4, 0, 5, 6, PassThroughDenseLayer.Activation.IDENTITY), 11);
        check(new PassThroughDenseLayer(3, 4, 15, 0, 24, PassThroughDenseLayer.Activation.RELU), 24);
    }

    @Test
    void carriesNothing() {
        check(new PassThroughDenseLayer(4, 5, 0, PassThroughDenseLayer.Activation.RELU), 4);
    }
}
