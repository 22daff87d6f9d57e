package org.sparkvae.model;

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
 * <p>Input {@code [logits | mu | logSigma]} (D + 2M columns), labels x (D columns). The layer has no
 * parameters; its activations are its input, so {@code network.output(x)} returns the decoder logits
 * and the posterior statistics in one array. The graph names its per-example terms
 * ({@value #RECON}, {@value #KL}) so evaluation reads them from the very graph that is trained.
 *
 * <p>DL4J divides the loss and gradients by the batch size itself, so the loss variable is the
 * <em>sum</em> over the minibatch (stack notes, trap 4).
 */
public final class ElboOutputLayer extends SameDiffOutputLayer {
    public static final String RECON = "recon";
    public static final String KL = "kl";
    public static final String NEG_ELBO = "negElbo";
    public static final String LOSS = "loss";

    @JsonProperty private long dataSize;
    @JsonProperty private long latentDim;

    private ElboOutputLayer() {
        // for Jackson
    }

    public ElboOutputLayer(long dataSize, long latentDim) {
        if (dataSize <= 0 || latentDim <= 0) {
            throw new IllegalArgumentException("dataSize and latentDim must be positive: " + dataSize + ", " + latentDim);
        }
        this.dataSize = dataSize;
        this.latentDim = latentDim;
    }

    public long dataSize() {
        return dataSize;
    }

    public long latentDim() {
        return latentDim;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params) {
        SDVariable logits = input.get(SDIndex.all(), SDIndex.interval(0L, dataSize));
        SDVariable mu = input.get(SDIndex.all(), SDIndex.interval(dataSize, dataSize + latentDim));
        SDVariable logSigma = input.get(SDIndex.all(), SDIndex.interval(dataSize + latentDim, dataSize + 2 * latentDim));
        SDVariable recon = BernoulliLikelihood.negLogLikelihood(sd, logits, labels).rename(RECON);
        SDVariable kl = StandardGaussianPrior.kl(sd, mu, logSigma).rename(KL);
        SDVariable negElbo = recon.add(NEG_ELBO, kl);
        SDVariable loss = negElbo.sum(LOSS);
        sd.setLossVariables(loss);
        return loss;
    }

    @Override
    public String activationsVertexName() {
        return ElboOutputLayerRuntime.INPUT_KEY;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // no parameters
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // no parameters
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(dataSize + 2 * latentDim);
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
