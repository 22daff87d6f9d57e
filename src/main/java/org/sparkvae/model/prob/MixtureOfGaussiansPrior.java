package org.sparkvae.model.prob;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * p(z) = sum_k pi_k N(z | m_k, diag s_k^2) with trainable means m (init N(0, 1)), stds s = exp(log s)
 * (init 1, always positive) and mixture logits (init equal, pi = softmax). There is no closed-form KL,
 * so the loss uses the one-sample estimate log q(z|x) - log p(z) at the sampled z; log p(z) is a
 * log-sum-exp over the components. The parameters live in the ELBO output layer.
 */
public final class MixtureOfGaussiansPrior implements Prior {
    public static final String MEANS = "priorMeans";
    public static final String LOG_STDS = "priorLogStds";
    public static final String LOGITS = "priorLogits";

    private final int components;
    private final long latentDim;

    public MixtureOfGaussiansPrior(int components, long latentDim) {
        this.components = components;
        this.latentDim = latentDim;
    }

    @Override
    public SDVariable logDensity(SameDiff sd, SDVariable z, Map<String, SDVariable> params) {
        return logDensity(sd, z, params.get(MEANS), params.get(LOG_STDS), params.get(LOGITS), components, latentDim);
    }

    /** A component k ~ softmax(logits) by inverse CDF, then z ~ N(m_k, diag s_k^2). */
    @Override
    public INDArray sample(int n, Map<String, INDArray> params, DataType dataType) {
        INDArray means = params.get(MEANS);
        INDArray stds = Transforms.exp(params.get(LOG_STDS), true);
        double[] logits = params.get(LOGITS).castTo(DataType.DOUBLE).toDoubleVector();
        double max = java.util.Arrays.stream(logits).max().orElse(0);
        double[] cdf = new double[logits.length];
        double total = 0;
        for (int k = 0; k < logits.length; k++) {
            total += Math.exp(logits[k] - max);
            cdf[k] = total;
        }
        INDArray u = Nd4j.rand(DataType.DOUBLE, n);
        INDArray z = Nd4j.randn(dataType, n, latentDim);
        for (int i = 0; i < n; i++) {
            double target = u.getDouble(i) * total;
            int k = 0;
            while (k < cdf.length - 1 && cdf[k] < target) {
                k++;
            }
            z.getRow(i).muli(stds.getRow(k)).addi(means.getRow(k));
        }
        return z;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        defineParameters(params, components, latentDim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initializeParams(params);
    }

    /**
     * Per-example log of an equally weighted mixture 1/K sum_k N(z | means_k, diag exp(logStds_k)^2),
     * shape [n]: the VampPrior, with the components' statistics from the pseudo-inputs.
     */
    public static SDVariable logDensityEqualWeights(SameDiff sd, SDVariable z, SDVariable means, SDVariable logStds,
                                                    long components, long latentDim) {
        SDVariable t = sd.expandDims(z, 1).sub(means).mul(sd.math.exp(logStds.neg()));   // [n, K, M]
        SDVariable terms = t.mul(t).mul(-0.5).sub(logStds).sub(StandardGaussianPrior.HALF_LOG_2PI);
        SDVariable perComponent = latentDim == 1 ? terms.reshape(-1, components) : terms.sum(2);
        if (components == 1) {
            return perComponent.reshape(-1);
        }
        return logSumExpRows(sd, perComponent).sub(Math.log(components));
    }

    /** log sum_k exp(x[:, k]) for x [n, K] (K >= 2), shape [n], shifted by the row maximum for stability. */
    static SDVariable logSumExpRows(SameDiff sd, SDVariable x) {
        SDVariable max = x.max(true, 1);                                      // [n, 1]
        return sd.math.log(sd.math.exp(x.sub(max)).sum(1)).add(max.reshape(-1));
    }

    static void defineParameters(SDLayerParams params, long components, long latentDim) {
        params.addWeightParam(MEANS, components, latentDim);
        params.addWeightParam(LOG_STDS, components, latentDim);
        params.addWeightParam(LOGITS, 1, components);
    }

    static void initializeParams(Map<String, INDArray> params) {
        INDArray means = params.get(MEANS);
        means.assign(Nd4j.randn(means.dataType(), means.shape()));
        params.get(LOG_STDS).assign(0);
        params.get(LOGITS).assign(0);
    }

    /** Per-example log p(z), shape [n], for z [n, M]. */
    public static SDVariable logDensity(SameDiff sd, SDVariable z, SDVariable means, SDVariable logStds, SDVariable logits,
                                        long components, long latentDim) {
        SDVariable diff = sd.expandDims(z, 1).sub(means);                  // [n, K, M]
        SDVariable t = diff.mul(sd.math.exp(logStds.neg()));
        SDVariable terms = t.mul(t).mul(-0.5).sub(logStds).sub(StandardGaussianPrior.HALF_LOG_2PI);
        // Reductions over a size-1 dimension fail in ND4J 1.0.0-M2.1 (see RowSums): reshape instead.
        SDVariable perComponent = latentDim == 1 ? terms.reshape(-1, components) : terms.sum(2); // [n, K]
        if (components == 1) {
            return perComponent.reshape(-1);
        }
        // log pi_k = logits_k - logsumexp(logits), written out: SameDiff's logSoftmax op fails to
        // deserialise its dimension argument, and logSumExp's backprop drops the reduction dimension
        // (reduce_sum_bp "bad input shape") in 1.0.0-M2.1. GradientCheckTest covers this.
        return logSumExpRows(sd, perComponent.add(logits)).sub(logSumExpRows(sd, logits));
    }
}
