package org.sparkvae.model;

import org.sparkvae.model.layers.ElboOutputLayer;
import org.sparkvae.model.layers.GaussianLatentLayer;
import org.sparkvae.model.layers.PassThroughDeconvLayer;
import org.sparkvae.model.layers.PassThroughDenseLayer;
import org.sparkvae.model.layers.PseudoInputLayer;
import org.sparkvae.model.prob.GaussianLikelihood;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference gradient checks, in double precision, of every custom layer and of the whole
 * network, with the reparameterisation noise held fixed (the RNG is reseeded before every pass).
 */
@org.junit.jupiter.api.extension.ExtendWith(DoublePrecision.class)
class GradientCheckTest {
    private static boolean check(MultiLayerNetwork net, INDArray input, INDArray labels, long noiseSeed) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(input).labels(labels)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .callEachIter(n -> Nd4j.getRandom().setSeed(noiseSeed)));
    }

    private static INDArray binaryImages(int n, int d, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, n, d).gt(0.5).castTo(DataType.DOUBLE);
    }

    @Test
    void wholeNetworkWithSampledNoise() {
        VaeConfig c = new VaeConfig(12, 7, 3, 1e-3);
        MultiLayerNetwork net = new MultiLayerNetwork(VaeNetworkFactory.configuration(c, 1, DataType.DOUBLE, new NoOp()));
        net.init();
        INDArray x = binaryImages(5, 12, 7);
        assertTrue(check(net, x, x, 123), "gradient check of the full VAE failed");
    }

    @Test
    void latentLayerAloneWithFixedNoiseInput() {
        // The latent layer fed [h | eps] directly, followed by the loss: isolates its own gradient.
        int nIn = 6, m = 4;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new GaussianLatentLayer(nIn, m))
                .layer(new PassThroughDenseLayer(m, 5, 2L * m, PassThroughDenseLayer.Activation.IDENTITY))
                .layer(new ElboOutputLayer(5, m))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(11);
        INDArray input = Nd4j.hstack(Nd4j.randn(DataType.DOUBLE, 4, nIn), Nd4j.randn(DataType.DOUBLE, 4, m));
        INDArray x = binaryImages(4, 5, 12);
        assertTrue(check(net, input, x, 5), "gradient check of GaussianLatentLayer failed");
    }

    @Test
    void passThroughDenseLayersReluAndIdentity() {
        int m = 2;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new PassThroughDenseLayer(3, 6, 2L * m, PassThroughDenseLayer.Activation.RELU))
                .layer(new PassThroughDenseLayer(6, 5, 2L * m, PassThroughDenseLayer.Activation.IDENTITY))
                .layer(new ElboOutputLayer(5, m))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(21);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 4, 3 + 2 * m);
        INDArray x = binaryImages(4, 5, 22);
        assertTrue(check(net, input, x, 5), "gradient check of PassThroughDenseLayer failed");
    }

    /** Loss layer of {@code c} fed [decoder output | z | mu | logSigma] directly (D + 3M columns). */
    private static MultiLayerNetwork lossOnly(VaeConfig c) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new PassThroughDenseLayer(3, c.inputSize(), 3L * c.latentDim(), PassThroughDenseLayer.Activation.IDENTITY))
                .layer(new ElboOutputLayer(c))
                .build());
        net.init();
        return net;
    }

    @Test
    void mixturePriorParametersAndInputs() {
        int d = 5, m = 2;
        MultiLayerNetwork net = lossOnly(new VaeConfig(d, 4, m, 1e-3).withPrior(PriorKind.MOG, 3));
        Nd4j.getRandom().setSeed(31);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 4, 3 + 3 * m);
        assertTrue(check(net, input, binaryImages(4, d, 32), 5), "gradient check of the MoG prior failed");
    }

    @Test
    void gaussianLikelihoodWithLearnedSigma() {
        int d = 5, m = 2;
        MultiLayerNetwork net = lossOnly(new VaeConfig(d, 4, m, 1e-3).withLikelihood(LikelihoodKind.GAUSSIAN, null));
        net.getLayer(1).getParam(GaussianLikelihood.LOG_SIGMA).assign(Nd4j.createFromArray(new double[][] {{-1, -0.5, 0, 0.3, -2}}));
        Nd4j.getRandom().setSeed(41);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 4, 3 + 3 * m);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, d);
        assertTrue(check(net, input, x, 5), "gradient check of the learned-sigma Gaussian likelihood failed");
    }

    @Test
    void continuousBernoulliIncludingLogitsNearZero() {
        int d = 5, m = 1;
        MultiLayerNetwork net = lossOnly(new VaeConfig(d, 4, m, 1e-3).withLikelihood(LikelihoodKind.CB, null));
        Nd4j.getRandom().setSeed(51);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 4, 3 + 3 * m).muli(0.5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, d);
        assertTrue(check(net, input, x, 5), "gradient check of the continuous Bernoulli likelihood failed");
    }

    @Test
    void passThroughDeconvLayer() {
        int m = 2;
        long carried = 3L * m;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(8).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new PassThroughDeconvLayer(2, 2, 2, carried, PassThroughDenseLayer.Activation.RELU))   // 2x2x2 -> 2x4x4
                .layer(new PassThroughDeconvLayer(2, 1, 4, carried, PassThroughDenseLayer.Activation.IDENTITY)) // -> 1x8x8
                .layer(new ElboOutputLayer(new VaeConfig(64, 4, m, 1e-3)))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(61);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 3, 8 + carried);
        assertTrue(check(net, input, binaryImages(3, 64, 62), 5), "gradient check of PassThroughDeconvLayer failed");
    }

    @Test
    void wholeNetworkWithMixturePriorAndGaussianLikelihood() {
        VaeConfig c = new VaeConfig(12, 7, 3, 1e-3).withPrior(PriorKind.MOG, 2).withLikelihood(LikelihoodKind.GAUSSIAN, null);
        MultiLayerNetwork net = new MultiLayerNetwork(VaeNetworkFactory.configuration(c, 1, DataType.DOUBLE, new NoOp()));
        net.init();
        Nd4j.getRandom().setSeed(71);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 12);
        assertTrue(check(net, x, x, 123), "gradient check of the full MoG/Gaussian VAE failed");
    }

    @Test
    void wholeNetworkWithVampPriorIncludingPseudoInputs() {
        VaeConfig c = new VaeConfig(12, 7, 3, 1e-3).withPrior(PriorKind.VAMP, 2);
        MultiLayerNetwork net = new MultiLayerNetwork(VaeNetworkFactory.configuration(c, 1, DataType.DOUBLE, new NoOp()));
        net.init();
        assertTrue(net.getLayer(0).getParam(PseudoInputLayer.PSEUDO_INPUTS) != null);
        INDArray x = binaryImages(5, 12, 81);
        assertTrue(check(net, x, x, 123), "gradient check of the full VampPrior VAE failed");
    }

    @Test
    void wholeTwoLevelNetwork() {
        VaeConfig c = new VaeConfig(12, 7, 2, 1e-3).withLevels(2);
        MultiLayerNetwork net = new MultiLayerNetwork(VaeNetworkFactory.configuration(c, 1, DataType.DOUBLE, new NoOp()));
        net.init();
        assertTrue(NetworkLayout.secondLatentLayer(net.getLayerWiseConfigurations()) > 0);
        INDArray x = binaryImages(5, 12, 91);
        assertTrue(check(net, x, x, 123), "gradient check of the two-level VAE failed");
    }
}
