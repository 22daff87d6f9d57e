package org.sparkvae.model;

import org.sparkvae.model.layers.ElboOutputLayer;
import org.sparkvae.model.layers.ElboOutputLayerRuntime;
import org.sparkvae.model.layers.GaussianLatentLayer;
import org.sparkvae.model.layers.NoiseAppendingPreProcessor;
import org.sparkvae.model.prob.Likelihood;
import org.sparkvae.model.prob.MixtureOfGaussiansPrior;
import org.sparkvae.model.prob.Prior;

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
 * <p>Randomness (eps in encode/ELBO, prior and likelihood samples) comes from ND4J's global RNG; seed
 * it with {@code Nd4jSeeds.seed(...)} for reproducible results.
 */
public final class Vae {
    private final MultiLayerNetwork net;
    private final VaeConfig config;
    private final NetworkLayout layout;
    private final int latentLayer;
    private final int outputLayer;

    public Vae(MultiLayerNetwork net, VaeConfig config) {
        this.net = net;
        this.config = config;
        this.layout = new NetworkLayout(config);
        this.latentLayer = NetworkLayout.latentLayer(net.getLayerWiseConfigurations());
        this.outputLayer = NetworkLayout.outputLayer(net.getLayerWiseConfigurations());
    }

    public static Vae create(VaeConfig config, long seed) {
        ModelSize.of(config, 1).check(); // refused in one line before DL4J allocates anything
        return new Vae(VaeNetworkFactory.build(config, seed, DataType.FLOAT), config);
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public VaeConfig config() {
        return config;
    }

    private ElboOutputLayer lossConf() {
        return (ElboOutputLayer) net.getLayerWiseConfigurations().getConf(outputLayer).getLayer();
    }

    /** Whether the loss layer sees z (models saved before it did cannot give IWAE weights). */
    public boolean supportsImportanceWeights() {
        return lossConf().carriesSample();
    }

    public NoiseAppendingPreProcessor noise() {
        return (NoiseAppendingPreProcessor) net.getLayerWiseConfigurations().getInputPreProcess(latentLayer);
    }

    /** Turns the reparameterisation noise of every latent level on (default) or off (z = mu); returns the previous state. */
    public boolean setSampling(boolean sampling) {
        boolean previous = noise().isSampling();
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayerWiseConfigurations().getInputPreProcess(i) instanceof NoiseAppendingPreProcessor p) {
                p.setSampling(sampling);
            }
        }
        return previous;
    }

    /**
     * Fixes the reparameterisation noise of the next passes: {@code epsPerLevel.get(l)} [n, M] for latent level
     * l (in layer order), or null to draw it from ND4J's generator again. See
     * {@link NoiseAppendingPreProcessor#setGivenNoise}.
     */
    public void setGivenNoise(List<INDArray> epsPerLevel) {
        int level = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayerWiseConfigurations().getInputPreProcess(i) instanceof NoiseAppendingPreProcessor p) {
                p.setGivenNoise(epsPerLevel == null ? null : epsPerLevel.get(level));
                level++;
            }
        }
    }

    /** Latent levels (1, or 2 for the hierarchical VAE): how many noise matrices {@link #setGivenNoise} takes. */
    public int latentLevels() {
        return config.levels();
    }

    /**
     * Everything a per-row score needs from one forward pass of a batch x [n, D]: q(z|x) (mu, log-sigma and
     * the z the loss used) and the per-example -log p(x|z) and KL terms.
     */
    public RowScores score(INDArray x) {
        List<INDArray> acts = net.feedForward(x, false);
        // acts[0] is the input; layer i's output is acts[i + 1].
        INDArray latent = acts.get(latentLayer + 1);
        Posterior q = split(latent.get(NDArrayIndex.interval(pseudoRows(), latent.size(0)), NDArrayIndex.all()));
        Map<String, INDArray> terms = lossTerms(acts.get(acts.size() - 1), x, ElboOutputLayer.RECON, ElboOutputLayer.KL);
        return new RowScores(q, new ElboTerms(terms.get(ElboOutputLayer.RECON).reshape(-1), terms.get(ElboOutputLayer.KL).reshape(-1)));
    }

    /** One forward pass's per-row results: see {@link #score}. */
    public record RowScores(Posterior posterior, ElboTerms terms) { }

    /** Rows the VampPrior's pseudo-inputs add in front of every batch (0 for other priors). */
    private long pseudoRows() {
        return config.prior() == PriorKind.VAMP ? config.components() : 0;
    }

    /** q(z|x) for a batch x [n, D]; z is a fresh sample unless sampling is off. */
    public Posterior encode(INDArray x) {
        List<INDArray> acts = net.feedForwardToLayer(latentLayer, x, false);
        INDArray out = acts.get(acts.size() - 1);
        long rows = out.size(0);
        out = out.get(NDArrayIndex.interval(pseudoRows(), rows), NDArrayIndex.all());
        return split(out);
    }

    /** The VampPrior's components q(z|u_k): the pseudo-inputs' posterior statistics, [K, M] each. */
    public Posterior pseudoInputPosteriors() {
        if (config.prior() != PriorKind.VAMP) {
            throw new IllegalStateException("only the VampPrior has pseudo-inputs");
        }
        List<INDArray> acts = net.feedForwardToLayer(latentLayer, Nd4j.zeros(net.params().dataType(), 1, config.inputSize()), false);
        INDArray out = acts.get(acts.size() - 1);
        return split(out.get(NDArrayIndex.interval(0, pseudoRows()), NDArrayIndex.all()));
    }

    private Posterior split(INDArray out) {
        return layout.posterior(out);
    }

    /** Raw decoder output [n, D] for latent codes z [n, M]: logits (Bernoulli, CB) or means (Gaussian). */
    public INDArray decodeLogits(INDArray z) {
        // The decoder layers carry the posterior statistics along for the loss; they do not affect the output.
        INDArray h = layout.decoderInput(z, net.params().dataType());
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int i = NetworkLayout.decoderStart(config.arch(), net.getLayerWiseConfigurations()); i < outputLayer; i++) {
            Layer layer = net.getLayer(i);
            h = layer.activate(h, false, mgr);
        }
        return h.get(NDArrayIndex.all(), NDArrayIndex.interval(0, config.inputSize())).dup();
    }

    /** The model's p(x|z) and p(z) (their parameters live in the loss layer). */
    public Likelihood likelihood() {
        return Likelihood.of(config.likelihood(), config.fixedVariance(), config.inputSize());
    }

    public Prior prior() {
        return Prior.of(config.prior(), config.components(), config.latentDim());
    }

    private Map<String, INDArray> lossParams() {
        return net.getLayer(outputLayer).paramTable();
    }

    /** E[x|z] under the model's likelihood: sigmoid(l) (Bernoulli), mu (Gaussian), the CB mean (CB). */
    public INDArray decodeMean(INDArray z) {
        return likelihood().mean(decodeLogits(z));
    }

    /** One draw x ~ p(x|z) per row of z. */
    public INDArray sampleObservation(INDArray z) {
        return likelihood().sample(decodeLogits(z), lossParams());
    }

    /** n draws z ~ p(z): N(0, I); MoG: a component k ~ softmax(logits), then N(m_k, diag s_k^2); Vamp: k uniform, then q(z|u_k). */
    public INDArray samplePrior(int n) {
        DataType dt = net.params().dataType();
        if (config.levels() == 2) {
            // z2 ~ N(0, I), then z1 ~ p(z1|z2) through the conditional prior's two layers.
            int m = config.latentDim();
            INDArray z2 = Nd4j.randn(dt, n, m);
            int first = NetworkLayout.secondLatentLayer(net.getLayerWiseConfigurations()) + 1;
            // The p(z1|z2) MLP reads z2 in front of the level blocks it carries ([z2 .. logSigma1]).
            INDArray h = Nd4j.hstack(z2, Nd4j.zeros(dt, n, layout.column(NetworkLayout.TWO_LEVEL_BLOCKS) - layout.column(NetworkLayout.MU2)));
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            for (int i = first; i < first + 2; i++) {
                h = net.getLayer(i).activate(h, false, mgr);
            }
            INDArray mu = h.get(NDArrayIndex.all(), NDArrayIndex.interval(layout.column(NetworkLayout.P_MU1), layout.column(NetworkLayout.P_MU1 + 1)));
            INDArray logSigma = Transforms.max(Transforms.min(h.get(NDArrayIndex.all(),
                            NDArrayIndex.interval(layout.column(NetworkLayout.P_LOG_SIGMA1), layout.column(NetworkLayout.P_LOG_SIGMA1 + 1))),
                    GaussianLatentLayer.LOG_SIGMA_BOUND, true), -GaussianLatentLayer.LOG_SIGMA_BOUND, false);
            return Nd4j.randn(dt, n, m).muli(Transforms.exp(logSigma, false)).addi(mu);
        }
        Map<String, INDArray> params = lossParams();
        if (config.prior() == PriorKind.VAMP) {
            // The VampPrior's components are the encoder's posteriors at the pseudo-inputs.
            Posterior components = pseudoInputPosteriors();
            params = Map.of(MixtureOfGaussiansPrior.MEANS, components.mu(), MixtureOfGaussiansPrior.LOG_STDS, components.logSigma());
        }
        return prior().sample(n, params, dt);
    }

    /** Per-example -log p(x|z) and KL for a batch x, with one z per example (z = mu when sampling is off). */
    public ElboTerms elboTerms(INDArray x) {
        Map<String, INDArray> terms = lossTerms(x, ElboOutputLayer.RECON, ElboOutputLayer.KL);
        return new ElboTerms(terms.get(ElboOutputLayer.RECON).reshape(-1), terms.get(ElboOutputLayer.KL).reshape(-1));
    }

    /** Per-example log importance weight log p(x|z) + log p(z) - log q(z|x), one fresh z per row, shape [n]. */
    public INDArray logImportanceWeights(INDArray x) {
        if (!supportsImportanceWeights()) {
            throw new IllegalStateException("this model was saved by an older spark-vae whose loss layer does not see z; "
                    + "retrain it to get IWAE estimates");
        }
        return lossTerms(x, ElboOutputLayer.LOG_WEIGHT).get(ElboOutputLayer.LOG_WEIGHT).reshape(-1);
    }

    /**
     * Log importance weights of {@code samples} draws of z per image of x [n, D], shape [n * samples], image i's
     * at rows {@code i*samples ..}: what {@link #logImportanceWeights(INDArray)} gives for x's rows each repeated
     * {@code samples} times (the same noise draws, the same values up to float rounding), but the encoder runs once
     * per image: the latent layer's noise preprocessor repeats its input rows before it appends the noise, so only the
     * noise, the decoder and the loss see the {@code n * samples} rows. (Running the whole network on K copies spent
     * most of an IWAE pass on identical encoder rows; PyTorch's reference draws its K samples from one q the same way.)
     * The pass is DL4J's own {@code output}, whose workspaces reuse the layers' memory from pass to pass.
     */
    public INDArray logImportanceWeights(INDArray x, int samples) {
        if (!supportsImportanceWeights()) {
            return logImportanceWeights(x); // its message
        }
        INDArray xs = Nd4j.pullRows(x, 1, NoiseAppendingPreProcessor.repeatedRows(0, (int) x.size(0), samples), 'c');
        NoiseAppendingPreProcessor noise = noise();
        noise.setRepeats(samples, (int) pseudoRows());
        INDArray out;
        try {
            out = net.output(x, false);
        } finally {
            noise.setRepeats(1, 0);
        }
        try {
            return lossTerms(out, xs, ElboOutputLayer.LOG_WEIGHT).get(ElboOutputLayer.LOG_WEIGHT).reshape(-1);
        } finally {
            // [n K, D + 3M] and [n K, D]: freed now rather than when the GC finds them (off-heap memory is not the heap's)
            out.close();
            xs.close();
        }
    }

    private Map<String, INDArray> lossTerms(INDArray x, String... names) {
        INDArray out = net.output(x, false);
        try {
            return lossTerms(out, x, names);
        } finally {
            // [n, D + 3M] per batch: freed now rather than when the GC finds it (off-heap memory is not the heap's)
            out.close();
        }
    }

    private Map<String, INDArray> lossTerms(INDArray out, INDArray x, String... names) {
        ElboOutputLayerRuntime loss = (ElboOutputLayerRuntime) net.getLayer(outputLayer);
        loss.setInput(out, LayerWorkspaceMgr.noWorkspaces());
        loss.setLabels(x);
        Map<String, INDArray> terms = loss.perExampleTerms(names);
        loss.setLabels(null);
        loss.clear();
        return terms;
    }
}
