package org.sparkvae.model.layers;

import org.sparkvae.model.workarounds.Nd4jSeeds;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The hand-written transposed convolution ({@link PassThroughDeconvRuntime}) against its SameDiff definition. */
class PassThroughDeconvRuntimeTest {
    private static void check(PassThroughDeconvLayer layer, long inputColumns) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).layer(layer).build();
        INDArray params = Nd4j.create(DataType.DOUBLE, 1, layer.initializer().numParams(conf));
        Nd4j.getRandom().setSeed(Nd4jSeeds.of(6));
        Layer mine = layer.instantiate(conf, List.of(), 0, params, true, DataType.DOUBLE);
        assertInstanceOf(PassThroughDeconvRuntime.class, mine);
        PassThroughDenseRuntimeTest.compare(mine, layer.instantiateSameDiff(conf.clone(), params, DataType.DOUBLE), inputColumns);
    }

    @Test
    void reluDeconvolutionCarryingTheLatentColumns() {
        // 3 channels of 5x5 in, 2 channels of 10x10 out, 6 carried columns.
        check(new PassThroughDeconvLayer(3, 2, 5, 6, PassThroughDenseLayer.Activation.RELU), 3 * 25 + 6);
    }

    @Test
    void linearOutputDeconvolution() {
        check(new PassThroughDeconvLayer(2, 1, 4, 6, PassThroughDenseLayer.Activation.IDENTITY), 2 * 16 + 6);
    }

    /** One output channel runs as four phase convolutions: the CNN decoder's last layer's shape (fewer channels). */
    @Test
    void oneOutputChannelAtTheDecodersLastShape() {
        check(new PassThroughDeconvLayer(5, 1, 14, 4, PassThroughDenseLayer.Activation.IDENTITY), 5 * 196 + 4);
        check(new PassThroughDeconvLayer(3, 1, 3, 0, PassThroughDenseLayer.Activation.RELU), 3 * 9);
    }
}
