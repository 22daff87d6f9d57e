package org.sparkvae.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds the VAE as one DL4J {@link MultiLayerNetwork} (so Spark's parameter averaging applies):
 * <pre>
 *  0 Dense in->H ReLU        1 Dense H->H ReLU          [append eps]
 *  2 GaussianLatentLayer     -> [z | mu | logSigma]
 *  3 PassThroughDense M->H ReLU   4 PassThroughDense H->H ReLU   5 PassThroughDense H->in (logits)
 *  6 ElboOutputLayer          loss = sum over the batch of -ELBO
 * </pre>
 */
public final class VaeNetworkFactory {
    public static final int LATENT_LAYER = 2;
    public static final int FIRST_DECODER_LAYER = 3;
    public static final int OUTPUT_LAYER = 6;

    private VaeNetworkFactory() { }

    public static MultiLayerConfiguration configuration(VaeConfig c, long seed, DataType dataType) {
        return configuration(c, seed, dataType, new Adam(c.learningRate()));
    }

    /** As above with another updater (gradient checks need {@code NoOp}). */
    public static MultiLayerConfiguration configuration(VaeConfig c, long seed, DataType dataType, IUpdater updater) {
        int h = c.hiddenUnits();
        int m = c.latentDim();
        int d = c.inputSize();
        long carried = 2L * m;
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(0, torchDense(d, h))
                .layer(1, torchDense(h, h))
                .inputPreProcessor(LATENT_LAYER, new NoiseAppendingPreProcessor(m))
                .layer(LATENT_LAYER, new GaussianLatentLayer(h, m))
                .layer(3, new PassThroughDenseLayer(m, h, carried, PassThroughDenseLayer.Activation.RELU))
                .layer(4, new PassThroughDenseLayer(h, h, carried, PassThroughDenseLayer.Activation.RELU))
                .layer(5, new PassThroughDenseLayer(h, d, carried, PassThroughDenseLayer.Activation.IDENTITY))
                .layer(OUTPUT_LAYER, new ElboOutputLayer(d, m))
                .build();
    }

    /** DL4J dense layer with PyTorch's default weight initialisation U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    private static DenseLayer torchDense(int nIn, int nOut) {
        double bound = 1.0 / Math.sqrt(nIn);
        return new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.RELU)
                .weightInit(new UniformDistribution(-bound, bound)).build();
    }

    public static MultiLayerNetwork build(VaeConfig c, long seed, DataType dataType) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(c, seed, dataType));
        net.init();
        // DL4J initialises dense biases to a constant; PyTorch's nn.Linear draws them from
        // U(-1/sqrt(fanIn), 1/sqrt(fanIn)). Match the reference implementation's starting point.
        for (int i = 0; i < LATENT_LAYER; i++) {
            long fanIn = net.getLayer(i).getParam("W").size(0);
            VaeSameDiffLayer.uniform(net.getLayer(i).getParam("b"), 1.0 / Math.sqrt(fanIn));
        }
        return net;
    }
}
