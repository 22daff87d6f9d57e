package org.sparkvae.model.layers;

import org.sparkvae.model.NetworkLayout;

import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.prob.DiagonalGaussian;
import org.sparkvae.model.prob.Likelihood;
import org.sparkvae.model.prob.MixtureOfGaussiansPrior;
import org.sparkvae.model.prob.Prior;
import org.sparkvae.model.prob.StandardGaussianPrior;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Map;

/**
 * The loss layer: per-example negative ELBO = -log p(x|z) + KL(q(z|x) || p(z)).
 *
 * <p>Input {@code [decoder output | z | mu | logSigma]} (D + 3M columns), labels x (D columns). The
 * decoder output is Bernoulli or continuous-Bernoulli logits, or Gaussian means. The KL term is the
 * closed form for the standard Gaussian prior and the one-sample Monte Carlo estimate
 * log q(z|x) - log p(z) for the mixture prior, whose parameters (and a learned Gaussian sigma per
 * pixel) are this layer's parameters. The graph also names the per-example log importance weight
 * log p(x|z) + log p(z) - log q(z|x) ({@value #LOG_WEIGHT}) for the IWAE bound.
 *
 * <p>Models saved before z was carried ({@code carriesSample} absent) have input
 * {@code [logits | mu | logSigma]}; they still load and evaluate, but have no IWAE weight.
 *
 * <p>DL4J divides the loss and gradients by the batch size itself, so the loss variable is the
 * <em>sum</em> over the minibatch (stack notes, trap 4).
 */
public final class ElboOutputLayer extends SameDiffOutputLayer {
    public static final String RECON = "recon";
    public static final String KL = "kl";
    public static final String NEG_ELBO = "negElbo";
    public static final String LOG_WEIGHT = "logWeight";
    public static final String LOSS = "loss";

    @JsonProperty private long dataSize;
    @JsonProperty private long latentDim;
    @JsonProperty private Boolean carriesSample;
    @JsonProperty private PriorKind prior;
    @JsonProperty private Integer components;
    @JsonProperty private LikelihoodKind likelihood;
    @JsonProperty private Double fixedVariance;
    @JsonProperty private Integer levels;

    private ElboOutputLayer() {
        // for Jackson
    }

    /** The original layout: Bernoulli logits, standard Gaussian prior, input [logits | mu | logSigma]. */
    public ElboOutputLayer(long dataSize, long latentDim) {
        this(dataSize, latentDim, false, PriorKind.GAUSSIAN, 1, LikelihoodKind.BERNOULLI, null);
    }

    /** The loss of the model {@code c}: input [decoder output | z | mu | logSigma]. */
    public ElboOutputLayer(VaeConfig c) {
        this(c.inputSize(), c.latentDim(), true, c.prior(), c.components(), c.likelihood(), c.fixedVariance());
        this.levels = c.levels();
    }

    private boolean twoLevels() {
        return levels != null && levels == 2;
    }

    private ElboOutputLayer(long dataSize, long latentDim, boolean carriesSample, PriorKind prior, int components,
                            LikelihoodKind likelihood, Double fixedVariance) {
        if (dataSize <= 0 || latentDim <= 0) {
            throw new IllegalArgumentException("dataSize and latentDim must be positive: " + dataSize + ", " + latentDim);
        }
        if (prior != PriorKind.GAUSSIAN && !carriesSample) {
            throw new IllegalArgumentException("a " + prior + " prior needs the sample z carried to the loss");
        }
        this.dataSize = dataSize;
        this.latentDim = latentDim;
        this.carriesSample = carriesSample;
        this.prior = prior;
        this.components = components;
        this.likelihood = likelihood;
        this.fixedVariance = fixedVariance;
    }

    public long dataSize() {
        return dataSize;
    }

    public long latentDim() {
        return latentDim;
    }

    public boolean carriesSample() {
        return Boolean.TRUE.equals(carriesSample);
    }

    public PriorKind prior() {
        return prior == null ? PriorKind.GAUSSIAN : prior;
    }

    public LikelihoodKind likelihood() {
        return likelihood == null ? LikelihoodKind.BERNOULLI : likelihood;
    }

    private long inputWidth() {
        // Old models (no z carried) had only [mu | logSigma] after the decoder output.
        return dataSize + (carriesSample() ? new NetworkLayout(latentDim, twoLevels() ? 2 : 1).carriedWidth() : 2 * latentDim);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params) {
        long m = latentDim;
        long at = dataSize;
        SDVariable pseudo = null;
        if (prior() == PriorKind.VAMP) {
            // Rows [0, K) come from the VampPrior's pseudo-inputs (PseudoInputLayer), the rest are the data.
            long w = inputWidth();
            pseudo = sd.stridedSlice(input, new long[] {0, 0}, new long[] {components, w}, new long[] {1, 1}, 0, 0, 0, 0, 0);
            input = sd.stridedSlice(input, new long[] {components, 0}, new long[] {0, w}, new long[] {1, 1}, 0, 1, 0, 0, 0);
        }
        SDVariable decoded = input.get(SDIndex.all(), SDIndex.interval(0L, dataSize));
        if (twoLevels()) {
            return defineTwoLevelLoss(sd, input, labels, params, decoded);
        }
        SDVariable z = null;
        if (carriesSample()) {
            z = input.get(SDIndex.all(), SDIndex.interval(at, at + m));
            at += m;
        }
        SDVariable mu = input.get(SDIndex.all(), SDIndex.interval(at, at + m));
        SDVariable logSigma = input.get(SDIndex.all(), SDIndex.interval(at + m, at + 2 * m));

        SDVariable recon = reconstruction(sd, decoded, labels, params);

        Prior p = priorModel();
        SDVariable kl;
        if (carriesSample()) {
            // The VampPrior's components are the pseudo-inputs' posteriors, carried in the first K rows.
            Map<String, SDVariable> priorParams = pseudo == null ? params : Map.of(
                    MixtureOfGaussiansPrior.MEANS, pseudo.get(SDIndex.all(), SDIndex.interval(dataSize + m, dataSize + 2 * m)),
                    MixtureOfGaussiansPrior.LOG_STDS, pseudo.get(SDIndex.all(), SDIndex.interval(dataSize + 2 * m, dataSize + 3 * m)));
            SDVariable logQ = DiagonalGaussian.logDensity(sd, z, mu, logSigma, m);
            SDVariable sampledKl = logQ.sub(p.logDensity(sd, z, priorParams));
            sd.math.neg(LOG_WEIGHT, recon.add(sampledKl));
            // The closed form where there is one (the standard Gaussian), else the one-sample estimate.
            SDVariable closed = p.closedFormKl(sd, mu, logSigma);
            kl = closed != null ? closed : sampledKl;
        } else {
            kl = StandardGaussianPrior.kl(sd, mu, logSigma, m);
        }
        kl = kl.rename(KL);
        SDVariable negElbo = recon.add(NEG_ELBO, kl);
        SDVariable loss = negElbo.sum(LOSS);
        sd.setLossVariables(loss);
        return loss;
    }

    /** -log p(x|z) per example, named {@value #RECON}. */
    private SDVariable reconstruction(SameDiff sd, SDVariable decoded, SDVariable labels, Map<String, SDVariable> params) {
        return likelihoodModel().negLogLikelihood(sd, decoded, labels, params).rename(RECON);
    }

    /**
     * The two-level ELBO (exercise 1.3): with z1 ~ q(z1|x), z2 ~ q(z2|z1),
     * -ELBO = -log p(x|z1) + [log q(z1|x) - log p(z1|z2)] + KL(q(z2|z1) || N(0, I)).
     * The bracket is not a KL (p(z1|z2) depends on the sampled z2), so it is the one-sample Monte
     * Carlo estimate; the top level's KL is in closed form. {@value #KL} holds both latent terms.
     * Input after the decoder output: [pmu1 | plogSigma1 | z2 | mu2 | logSigma2 | z1 | mu1 | logSigma1] ({@link NetworkLayout}).
     */
    private SDVariable defineTwoLevelLoss(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params,
                                          SDVariable decoded) {
        long m = latentDim;
        NetworkLayout layout = new NetworkLayout(m, 2);
        SDVariable[] block = new SDVariable[NetworkLayout.TWO_LEVEL_BLOCKS];
        for (int b = 0; b < block.length; b++) {
            long from = dataSize + layout.column(b);
            block[b] = input.get(SDIndex.all(), SDIndex.interval(from, from + m));
        }
        SDVariable pMu1 = block[NetworkLayout.P_MU1];
        SDVariable pLogSigma1 = sd.math.clipByValue(block[NetworkLayout.P_LOG_SIGMA1], -GaussianLatentLayer.LOG_SIGMA_BOUND,
                GaussianLatentLayer.LOG_SIGMA_BOUND);
        SDVariable z2 = block[NetworkLayout.Z2], mu2 = block[NetworkLayout.MU2], logSigma2 = block[NetworkLayout.LOG_SIGMA2];
        SDVariable z1 = block[NetworkLayout.Z1], mu1 = block[NetworkLayout.MU1], logSigma1 = block[NetworkLayout.LOG_SIGMA1];

        SDVariable recon = reconstruction(sd, decoded, labels, params);
        SDVariable level1 = DiagonalGaussian.logDensity(sd, z1, mu1, logSigma1, m)
                .sub(DiagonalGaussian.logDensity(sd, z1, pMu1, pLogSigma1, m));
        SDVariable level2Sampled = DiagonalGaussian.logDensity(sd, z2, mu2, logSigma2, m)
                .sub(StandardGaussianPrior.logDensity(sd, z2, m));
        sd.math.neg(LOG_WEIGHT, recon.add(level1).add(level2Sampled));
        SDVariable kl = level1.add(StandardGaussianPrior.kl(sd, mu2, logSigma2, m)).rename(KL);
        SDVariable negElbo = recon.add(NEG_ELBO, kl);
        SDVariable loss = negElbo.sum(LOSS);
        sd.setLossVariables(loss);
        return loss;
    }

    @Override
    public String activationsVertexName() {
        return ElboOutputLayerRuntime.INPUT_KEY;
    }

    /** The prior's and then the likelihood's parameters (that order is the saved parameter layout). */
    @Override
    public void defineParameters(SDLayerParams params) {
        priorModel().defineParameters(params);
        likelihoodModel().defineParameters(params);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        priorModel().initializeParameters(params);
        likelihoodModel().initializeParameters(params);
    }

    /** p(z) of this loss ({@code components} only matters for the mixtures; old models have it null). */
    public Prior priorModel() {
        return Prior.of(prior(), components == null ? 1 : components, latentDim);
    }

    /** p(x|z) of this loss. */
    public Likelihood likelihoodModel() {
        return Likelihood.of(likelihood(), fixedVariance, dataSize);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(inputWidth());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        ElboOutputLayerRuntime ret = new ElboOutputLayerRuntime(conf, networkDataType);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        ret.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }
}
