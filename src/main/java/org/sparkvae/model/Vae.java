package org.sparkvae.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Map;

/**
 * A VAE: the DL4J network plus the operations a user wants from it. Free of Spark.
 *
 * <p>Randomness (eps in encode/ELBO, prior samples) comes from ND4J's global RNG; seed it with
 * {@code Nd4j.getRandom().setSeed(...)} for reproducible results.
 */
public final class Vae {
    private final MultiLayerNetwork net;
    private final VaeConfig config;

    public Vae(MultiLayerNetwork net, VaeConfig config) {
        this.net = net;
        this.config = config;
    }

    public static Vae create(VaeConfig config, long seed) {
        return new Vae(VaeNetworkFactory.build(config, seed, DataType.FLOAT), config);
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public VaeConfig config() {
        return config;
    }

    public NoiseAppendingPreProcessor noise() {
        return (NoiseAppendingPreProcessor) net.getLayerWiseConfigurations().getInputPreProcess(VaeNetworkFactory.LATENT_LAYER);
    }

    /** Turns the reparameterisation noise on (default) or off (z = mu); returns the previous state. */
    public boolean setSampling(boolean sampling) {
        boolean previous = noise().isSampling();
        noise().setSampling(sampling);
        return previous;
    }

    /** q(z|x) for a batch x [n, D]; z is a fresh sample unless sampling is off. */
    public Posterior encode(INDArray x) {
        List<INDArray> acts = net.feedForwardToLayer(VaeNetworkFactory.LATENT_LAYER, x, false);
        INDArray out = acts.get(acts.size() - 1);
        long m = config.latentDim();
        return new Posterior(
                out.get(NDArrayIndex.all(), NDArrayIndex.interval(m, 2 * m)).dup(),
                out.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * m, 3 * m)).dup(),
                out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, m)).dup());
    }

    /** Decoder logits [n, D] for latent codes z [n, M]. */
    public INDArray decodeLogits(INDArray z) {
        long n = z.size(0);
        long m = config.latentDim();
        // The decoder layers carry (mu, logSigma) along for the loss; they do not affect the logits.
        INDArray h = Nd4j.hstack(z.castTo(net.params().dataType()), Nd4j.zeros(net.params().dataType(), n, 2 * m));
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int i = VaeNetworkFactory.FIRST_DECODER_LAYER; i < VaeNetworkFactory.OUTPUT_LAYER; i++) {
            Layer layer = net.getLayer(i);
            h = layer.activate(h, false, mgr);
        }
        return h.get(NDArrayIndex.all(), NDArrayIndex.interval(0, config.inputSize())).dup();
    }

    /** Bernoulli means p(x=1|z) = sigmoid(logits). */
    public INDArray decodeProbabilities(INDArray z) {
        return Transforms.sigmoid(decodeLogits(z), false);
    }

    /** n draws z ~ N(0, I). */
    public INDArray samplePrior(int n) {
        return Nd4j.randn(net.params().dataType(), n, config.latentDim());
    }

    /** One draw x ~ p(x|z) per row of Bernoulli means. */
    public static INDArray sampleBernoulli(INDArray probabilities) {
        INDArray u = Nd4j.rand(probabilities.dataType(), probabilities.shape());
        return u.lt(probabilities).castTo(probabilities.dataType());
    }

    /** Per-example -log p(x|z) and KL for a batch x, with one z per example (z = mu when sampling is off). */
    public ElboTerms elboTerms(INDArray x) {
        INDArray out = net.output(x, false);
        ElboOutputLayerRuntime loss = (ElboOutputLayerRuntime) net.getLayer(VaeNetworkFactory.OUTPUT_LAYER);
        loss.setInput(out, LayerWorkspaceMgr.noWorkspaces());
        loss.setLabels(x);
        Map<String, INDArray> terms = loss.perExampleTerms();
        loss.setLabels(null);
        loss.clear();
        return new ElboTerms(terms.get(ElboOutputLayer.RECON).reshape(-1), terms.get(ElboOutputLayer.KL).reshape(-1));
    }
}
