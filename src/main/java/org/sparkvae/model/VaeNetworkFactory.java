package org.sparkvae.model;

import org.sparkvae.model.layers.ElboOutputLayer;
import org.sparkvae.model.layers.GaussianLatentLayer;
import org.sparkvae.model.layers.NoiseAppendingPreProcessor;
import org.sparkvae.model.layers.PassThroughDeconvLayer;
import org.sparkvae.model.layers.PassThroughDenseLayer;
import org.sparkvae.model.layers.PseudoInputLayer;
import org.sparkvae.model.layers.VaeSameDiffLayer;
import org.sparkvae.model.workarounds.Nd4jSeeds;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.List;
import org.sparkvae.model.layers.Conv2dLayer;
import org.sparkvae.model.layers.FusedDenseLayer;

/**
 * Builds the VAE as one DL4J {@link MultiLayerNetwork} (so Spark's parameter averaging applies).
 * MLP ({@code --arch mlp}, the exercise's model):
 * <pre>
 *  0 Dense in->H ReLU        1 Dense H->H ReLU          [append eps]   (FusedDenseLayer: DL4J's Dense, faster runtime)
 *  2 GaussianLatentLayer     -> [z | mu | logSigma]
 *  3 PassThroughDense M->H ReLU   4 PassThroughDense H->H ReLU   5 PassThroughDense H->in (decoder output)
 *  6 ElboOutputLayer          loss = sum over the batch of -ELBO
 * </pre>
 * CNN ({@code --arch cnn}): encoder Conv 1->32 (4x4, stride 2) ReLU, Conv 32->64 (4x4, stride 2) ReLU,
 * Dense 3136->H ReLU; decoder PassThroughDense M->H ReLU, PassThroughDense H->3136 ReLU,
 * PassThroughDeconv 64->32 ReLU (7->14), PassThroughDeconv 32->1 (14->28).
 * The latent layer's index differs between the two: use {@link NetworkLayout#latentLayer}.
 */
public final class VaeNetworkFactory {
    static final int CNN_CHANNELS_1 = 32;
    static final int CNN_CHANNELS_2 = 64;

    private VaeNetworkFactory() { }

    public static MultiLayerConfiguration configuration(VaeConfig c, long seed, DataType dataType) {
        return configuration(c, seed, dataType, new Adam(c.learningRate()));
    }

    /** As above with another updater (gradient checks need {@code NoOp}). */
    public static MultiLayerConfiguration configuration(VaeConfig c, long seed, DataType dataType, IUpdater updater) {
        int h = c.hiddenUnits();
        int m = c.latentDim();
        int d = c.inputSize();
        boolean twoLevels = c.levels() == 2;
        // Columns carried to the loss and where the decoder finds its code: NetworkLayout.
        NetworkLayout layout = new NetworkLayout(c);
        long carried = layout.carriedWidth();
        long z1At = layout.decoderCode();
        List<Layer> encoder = new ArrayList<>();
        List<Layer> decoder = new ArrayList<>();
        if (c.arch() == Architecture.CNN) {
            encoder.add(conv(1, CNN_CHANNELS_1));
            encoder.add(conv(CNN_CHANNELS_1, CNN_CHANNELS_2));
            encoder.add(torchDense(CNN_CHANNELS_2 * 7 * 7, h, false));
            decoder.add(new PassThroughDenseLayer(m, h, z1At, 0, carried, PassThroughDenseLayer.Activation.RELU));
            decoder.add(new PassThroughDenseLayer(h, CNN_CHANNELS_2 * 7 * 7, carried, PassThroughDenseLayer.Activation.RELU));
            decoder.add(new PassThroughDeconvLayer(CNN_CHANNELS_2, CNN_CHANNELS_1, 7, carried, PassThroughDenseLayer.Activation.RELU));
            decoder.add(new PassThroughDeconvLayer(CNN_CHANNELS_1, 1, 14, carried, PassThroughDenseLayer.Activation.IDENTITY));
        } else {
            // The network's first layer unless the VampPrior's pseudo-inputs come first (they need its input gradient).
            encoder.add(torchDense(d, h, c.prior() != PriorKind.VAMP));
            encoder.add(torchDense(h, h, false));
            decoder.add(new PassThroughDenseLayer(m, h, z1At, 0, carried, PassThroughDenseLayer.Activation.RELU));
            decoder.add(new PassThroughDenseLayer(h, h, carried, PassThroughDenseLayer.Activation.RELU));
            decoder.add(new PassThroughDenseLayer(h, d, carried, PassThroughDenseLayer.Activation.IDENTITY));
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(Nd4jSeeds.of(seed)) // init() seeds ND4J with it; a raw 0 would not seed (Nd4jSeeds)
                .dataType(dataType)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int i = 0;
        if (c.prior() == PriorKind.VAMP) {
            list.layer(i++, new PseudoInputLayer(d, c.components()));
            if (c.arch() == Architecture.CNN) {
                // The pseudo-input layer outputs flat rows; DL4J only infers the reshape for the network input.
                list.inputPreProcessor(i, new org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor(28, 28, 1));
            }
        }
        for (Layer l : encoder) {
            list.layer(i++, l);
        }
        list.inputPreProcessor(i, new NoiseAppendingPreProcessor(m));
        list.layer(i++, new GaussianLatentLayer(h, m));
        if (twoLevels) {
            // q(z2|z1): an MLP on z1 and a second reparameterised latent layer, carrying level 1 along.
            long level1 = new NetworkLayout(m, 1).carriedWidth();                                  // [z1 | mu1 | logSigma1]
            long bothLevels = layout.column(NetworkLayout.TWO_LEVEL_BLOCKS) - layout.column(NetworkLayout.Z2); // [z2 .. logSigma1]
            list.layer(i++, new PassThroughDenseLayer(m, h, 0, 0, level1, PassThroughDenseLayer.Activation.RELU));
            list.inputPreProcessor(i, new NoiseAppendingPreProcessor(m));
            list.layer(i++, new GaussianLatentLayer(h, m, level1));
            // p(z1|z2): an MLP on z2 giving (mu, logSigma) of z1's conditional prior, the two blocks in front.
            list.layer(i++, new PassThroughDenseLayer(m, h, 0, 0, bothLevels, PassThroughDenseLayer.Activation.RELU));
            list.layer(i++, new PassThroughDenseLayer(h, 2L * m, 0, h, bothLevels, PassThroughDenseLayer.Activation.IDENTITY));
        }
        for (Layer l : decoder) {
            list.layer(i++, l);
        }
        list.layer(i, new ElboOutputLayer(c));
        if (c.arch() == Architecture.CNN) {
            // Adds the flat->image and image->flat preprocessors around the convolutions.
            list.setInputType(InputType.convolutionalFlat(28, 28, 1));
        }
        return list.build();
    }

    /**
     * DL4J dense layer with PyTorch's default weight initialisation U(-1/sqrt(fanIn), 1/sqrt(fanIn)), run by the fused
     * runtime ({@link FusedDenseLayer}); {@code first}: the network's first layer, whose input gradient nothing reads.
     */
    private static DenseLayer torchDense(int nIn, int nOut, boolean first) {
        double bound = 1.0 / Math.sqrt(nIn);
        return FusedDenseLayer.of(new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.RELU)
                .weightInit(new UniformDistribution(-bound, bound)).build(), first);
    }

    /**
     * 4x4 convolution, stride 2, padding 1 (halves height and width), ReLU, PyTorch-style init: DL4J's configuration,
     * run through libnd4j's conv2d ops ({@link org.sparkvae.model.layers.Conv2dLayer}).
     */
    private static ConvolutionLayer conv(int channelsIn, int channelsOut) {
        double bound = 1.0 / Math.sqrt(channelsIn * 16.0);
        ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(channelsIn).nOut(channelsOut)
                .activation(Activation.RELU).weightInit(new UniformDistribution(-bound, bound));
        b.build(); // the stock builder's validation
        return new Conv2dLayer(b);
    }

    public static MultiLayerNetwork build(VaeConfig c, long seed, DataType dataType) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(c, seed, dataType));
        net.init();
        // DL4J initialises dense and conv biases to a constant; PyTorch draws them from
        // U(-1/sqrt(fanIn), 1/sqrt(fanIn)). Match the reference implementation's starting point.
        int latent = NetworkLayout.latentLayer(net.getLayerWiseConfigurations());
        for (int i = c.prior() == PriorKind.VAMP ? 1 : 0; i < latent; i++) {
            org.nd4j.linalg.api.ndarray.INDArray w = net.getLayer(i).getParam("W");
            long fanIn = w.rank() == 2 ? w.size(0) : w.size(1) * w.size(2) * w.size(3);
            VaeSameDiffLayer.uniform(net.getLayer(i).getParam("b"), 1.0 / Math.sqrt(fanIn));
        }
        return net;
    }
}
