package org.sparkvae.model.prob;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * The VampPrior (Tomczak and Welling 2018): p(z) = 1/K sum_k q(z | u_k), an equally weighted mixture of the
 * encoder's posteriors at K learned pseudo-inputs u_k ({@link PseudoInputLayer}). Its parameters are therefore
 * not its own: the network computes the K posteriors' means and log sigmas, passed here under
 * {@link MixtureOfGaussiansPrior#MEANS} and {@link MixtureOfGaussiansPrior#LOG_STDS}. No closed-form KL.
 */
public final class VampPrior implements Prior {
    private final int components;
    private final long latentDim;

    public VampPrior(int components, long latentDim) {
        this.components = components;
        this.latentDim = latentDim;
    }

    @Override
    public SDVariable logDensity(SameDiff sd, SDVariable z, Map<String, SDVariable> params) {
        return MixtureOfGaussiansPrior.logDensityEqualWeights(sd, z, params.get(MixtureOfGaussiansPrior.MEANS),
                params.get(MixtureOfGaussiansPrior.LOG_STDS), components, latentDim);
    }

    /** A pseudo-input k uniformly, then z ~ q(z|u_k). */
    @Override
    public INDArray sample(int n, Map<String, INDArray> params, DataType dataType) {
        INDArray mu = params.get(MixtureOfGaussiansPrior.MEANS);
        INDArray logSigma = params.get(MixtureOfGaussiansPrior.LOG_STDS);
        INDArray z = Nd4j.randn(dataType, n, latentDim);
        INDArray u = Nd4j.rand(DataType.DOUBLE, n);
        for (int i = 0; i < n; i++) {
            int k = (int) Math.min(components - 1, Math.floor(u.getDouble(i) * components));
            z.getRow(i).muli(Transforms.exp(logSigma.getRow(k), true)).addi(mu.getRow(k));
        }
        return z;
    }
}
