package org.sparkvae.ppca;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import org.sparkvae.model.SettingException;

/**
 * Probabilistic PCA (Tipping and Bishop 1999), p(x) = N(x | b, W W^T + sigma^2 I) with q latent
 * dimensions, fitted in closed form by maximum likelihood from the data's mean and covariance:
 * b = mean; with the covariance's eigenvalues l_1 >= ... >= l_D and eigenvectors u_i,
 * sigma^2 = mean of the D - q discarded eigenvalues and W = U_q (L_q - sigma^2 I)^(1/2).
 *
 * <p>The model covariance C = U_q L_q U_q^T + sigma^2 (I - U_q U_q^T) has eigenvalues l_1..l_q and
 * sigma^2 (D - q times), so the log-density is exact without forming or inverting C:
 * log N(x) = -1/2 [D log 2pi + sum_i log l_i + (D-q) log sigma^2 + sum_i (u_i.d)^2 / l_i
 * + (|d|^2 - sum_i (u_i.d)^2) / sigma^2], d = x - b. Free of Spark; {@code SparkPpca} computes the
 * moments and the test log-likelihood on the executors.
 */
public final class PpcaModel implements Serializable {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final double[] mean;
    /** [q][D]: the top-q eigenvectors, one per row. */
    private final double[][] components;
    private final double[] eigenvalues;
    private final double noiseVariance;

    private PpcaModel(double[] mean, double[][] components, double[] eigenvalues, double noiseVariance) {
        this.mean = mean;
        this.components = components;
        this.eigenvalues = eigenvalues;
        this.noiseVariance = noiseVariance;
    }

    /**
     * @param mean the data mean, length D
     * @param covariance the maximum-likelihood (1/n) covariance, D x D row-major
     * @param q latent dimensions, 1 <= q < D
     */
    public static PpcaModel fit(double[] mean, double[][] covariance, int q) {
        int d = mean.length;
        if (q < 1 || q >= d) {
            throw new SettingException("latentDim", "{latentDim} must be in 1.." + (d - 1) + " for PPCA, got " + q);
        }
        INDArray c = Nd4j.create(covariance).castTo(DataType.DOUBLE);
        c = c.add(c.transpose()).muli(0.5); // exact symmetry for LAPACK's symmetric solver
        // Eigen overwrites its argument with the eigenvectors (columns); eigenvalues ascending.
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(c, true).reshape(-1);
        double[] ascending = values.toDoubleVector();
        double[] top = new double[q];
        double[][] u = new double[q][];
        for (int i = 0; i < q; i++) {
            int col = d - 1 - i;
            top[i] = ascending[col];
            u[i] = c.getColumn(col).toDoubleVector();
        }
        double discarded = 0;
        for (int i = 0; i < d - q; i++) {
            discarded += Math.max(0, ascending[i]); // round-off can make zero eigenvalues slightly negative
        }
        double sigma2 = discarded / (d - q);
        if (!(sigma2 > 0)) {
            throw new SettingException("latentDim", "PPCA: the data's covariance has rank <= " + q
                    + ", so the noise variance would be 0; use a smaller {latentDim}");
        }
        return new PpcaModel(mean.clone(), u, top, sigma2);
    }

    public int latentDim() {
        return eigenvalues.length;
    }

    public double noiseVariance() {
        return noiseVariance;
    }

    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The ML loading matrix W = U_q (L_q - sigma^2 I)^(1/2), D x q. */
    public double[][] loadings() {
        double[][] w = new double[mean.length][eigenvalues.length];
        for (int j = 0; j < eigenvalues.length; j++) {
            double s = Math.sqrt(Math.max(0, eigenvalues[j] - noiseVariance));
            for (int i = 0; i < mean.length; i++) {
                w[i][j] = components[j][i] * s;
            }
        }
        return w;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** Exact log p(x) in nats. */
    public double logLikelihood(float[] x) {
        int d = mean.length;
        if (x.length != d) {
            throw new IllegalArgumentException("expected " + d + " values, got " + x.length);
        }
        double[] diff = new double[d];
        double norm2 = 0;
        for (int i = 0; i < d; i++) {
            diff[i] = x[i] - mean[i];
            norm2 += diff[i] * diff[i];
        }
        double quad = 0;
        double logDet = (d - eigenvalues.length) * Math.log(noiseVariance);
        double projected = 0;
        for (int j = 0; j < eigenvalues.length; j++) {
            double dot = 0;
            for (int i = 0; i < d; i++) {
                dot += components[j][i] * diff[i];
            }
            quad += dot * dot / eigenvalues[j];
            projected += dot * dot;
            logDet += Math.log(eigenvalues[j]);
        }
        quad += (norm2 - projected) / noiseVariance;
        return -0.5 * (d * LOG_2PI + logDet + quad);
    }
}
