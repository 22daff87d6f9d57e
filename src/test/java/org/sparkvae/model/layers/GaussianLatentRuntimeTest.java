package org.sparkvae.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.model.workarounds.Nd4jSeeds;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The hand-written latent layer ({@link GaussianLatentRuntime}) against its SameDiff definition, in double precision. */
class GaussianLatentRuntimeTest {
    private static void check(GaussianLatentLayer layer, long inputColumns, double biasShift) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).layer(layer).build();
        INDArray params = Nd4j.create(DataType.DOUBLE, 1, layer.initializer().numParams(conf));
        Nd4j.getRandom().setSeed(Nd4jSeeds.of(7));
        Layer mine = layer.instantiate(conf, List.of(), 0, params, true, DataType.DOUBLE);
        assertInstanceOf(GaussianLatentRuntime.class, mine);
        // A shifted bias puts some log-sigmas beyond the clip, where its gradient must be zero.
        mine.getParam(GaussianLatentLayer.BIAS).addi(biasShift);
        PassThroughDenseRuntimeTest.compare(mine, layer.instantiateSameDiff(conf.clone(), params, DataType.DOUBLE), inputColumns);
    }

    @Test
    void firstLevel() {
        check(new GaussianLatentLayer(6, 3), 6 + 3, 0);
    }

    @Test
    void secondLevelCarriesTheFirstLevelsColumns() {
        check(new GaussianLatentLayer(5, 2, 7), 5 + 7 + 2, 0);
    }

    @Test
    void clippedLogSigmaPassesNoGradient() {
        check(new GaussianLatentLayer(4, 3), 4 + 3, 7.5);
        check(new GaussianLatentLayer(4, 3), 4 + 3, -7.5);
    }
}
