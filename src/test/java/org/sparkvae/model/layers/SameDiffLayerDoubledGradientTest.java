package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reproduces DL4J 1.0.0-M2.1's doubled SameDiffLayer gradients and proves the repair
 * ({@link SurrogateBackpropSameDiffLayer}): the same layer graph, run by the stock runtime and by
 * ours, with identical parameters and input.
 */
class SameDiffLayerDoubledGradientTest {
    private static final int N_IN = 4;
    private static final int N_OUT = 5;
    private static final int M = 2;

    /** y = [x W | carried] in SameDiff: the same graph for both runtimes. */
    static SDVariable linearPassThrough(SDVariable input, Map<String, SDVariable> params) {
        SDVariable a = input.get(SDIndex.all(), SDIndex.interval(0L, (long) N_IN));
        SDVariable carried = input.get(SDIndex.all(), SDIndex.interval((long) N_IN, (long) N_IN + 2 * M));
        return input.getSameDiff().concat(1, a.mmul(params.get("W")), carried);
    }

    static INDArray fixedWeights() {
        double[][] w = new double[N_IN][N_OUT];
        for (int i = 0; i < N_IN; i++) {
            for (int j = 0; j < N_OUT; j++) {
                w[i][j] = Math.sin(1.0 + i * N_OUT + j);
            }
        }
        return Nd4j.create(w);
    }

    /** Runs on DL4J's stock runtime layer. */
    static final class StockLayer extends SameDiffLayer {
        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable in, Map<String, SDVariable> p, SDVariable mask) {
            return linearPassThrough(in, p);
        }

        @Override
        public void defineParameters(SDLayerParams params) {
            params.addWeightParam("W", N_IN, N_OUT);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("W").assign(fixedWeights());
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType inputType) {
            return InputType.feedForward(N_OUT + 2 * M);
        }
    }

    /** The same graph on our repaired runtime layer. */
    static final class RepairedLayer extends VaeSameDiffLayer {
        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable in, Map<String, SDVariable> p, SDVariable mask) {
            return linearPassThrough(in, p);
        }

        @Override
        public void defineParameters(SDLayerParams params) {
            params.addWeightParam("W", N_IN, N_OUT);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("W").assign(fixedWeights());
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType inputType) {
            return InputType.feedForward(N_OUT + 2 * M);
        }
    }

    private static INDArray weightGradient(Layer layer, INDArray input, INDArray x) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(layer)
                .layer(new ElboOutputLayer(N_OUT, M))
                .build());
        net.init();
        net.setInput(input);
        net.setLabels(x);
        net.computeGradientAndScore();
        return net.gradient().getGradientFor("0_W").dup();
    }

    /** Central finite difference of the network score with respect to W[0, 0]. */
    private static double numericalGradientW00(INDArray input, INDArray x) {
        double h = 1e-6;
        double[] scores = new double[2];
        for (int s = 0; s < 2; s++) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                    .layer(new RepairedLayer()).layer(new ElboOutputLayer(N_OUT, M)).build());
            net.init();
            INDArray w = net.getLayer(0).getParam("W");
            w.putScalar(0, 0, w.getDouble(0, 0) + (s == 0 ? h : -h));
            scores[s] = net.score(new org.nd4j.linalg.dataset.DataSet(input, x), true);
        }
        return (scores[0] - scores[1]) / (2 * h);
    }

    @Test
    void stockRuntimeDoublesTheGradientAndOursDoesNot() {
        Nd4j.getRandom().setSeed(1);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 3, N_IN + 2 * M);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, N_OUT).gt(0.5).castTo(DataType.DOUBLE);

        INDArray stock = weightGradient(new StockLayer(), input, x);
        INDArray repaired = weightGradient(new RepairedLayer(), input, x);
        double numerical = numericalGradientW00(input, x);

        assertTrue(Math.abs(numerical) > 1e-3, "test needs a non-trivial gradient, got " + numerical);
        // The score is the batch mean; raw gradients are of the batch sum (DL4J's updater divides later).
        double batch = input.size(0);
        assertEquals(numerical * batch, repaired.getDouble(0, 0), 1e-6 * Math.max(1, Math.abs(numerical * batch)),
                "repaired layer must match the finite difference");
        // The DL4J bug this project works around: if this starts failing, DL4J fixed it upstream.
        assertEquals(2.0, stock.getDouble(0, 0) / repaired.getDouble(0, 0), 1e-9, "stock layer gradient should be doubled");
        assertTrue(stock.equalsWithEps(repaired.mul(2), 1e-9), "every stock gradient entry is exactly twice ours");
    }
}
