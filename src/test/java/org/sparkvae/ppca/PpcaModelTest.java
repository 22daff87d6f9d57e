package org.sparkvae.ppca;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PPCA's closed-form fit and exact log-likelihood against a direct multivariate-normal evaluation. */
class PpcaModelTest {
    private static final int D = 6;
    private static final int N = 400;

    /** Data from x = A z + b + noise with a 2-D z, so PPCA with q = 2 fits it well. */
    private static float[][] data(long seed) {
        Random r = new Random(seed);
        double[][] a = new double[D][2];
        for (double[] row : a) {
            row[0] = r.nextGaussian();
            row[1] = r.nextGaussian();
        }
        float[][] x = new float[N][D];
        for (int n = 0; n < N; n++) {
            double z0 = r.nextGaussian(), z1 = r.nextGaussian();
            for (int i = 0; i < D; i++) {
                x[n][i] = (float) (a[i][0] * z0 + a[i][1] * z1 + 0.3 * i + 0.2 * r.nextGaussian());
            }
        }
        return x;
    }

    private static double[] mean(float[][] x) {
        double[] m = new double[D];
        for (float[] row : x) {
            for (int i = 0; i < D; i++) {
                m[i] += row[i] / (double) x.length;
            }
        }
        return m;
    }

    private static double[][] mlCovariance(float[][] x, double[] m) {
        double[][] c = new double[D][D];
        for (float[] row : x) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    c[i][j] += (row[i] - m[i]) * (row[j] - m[j]) / x.length;
                }
            }
        }
        return c;
    }

    /** log N(x | b, C) through a Cholesky factor of C, written out here. */
    private static double directLogDensity(float[] x, double[] b, double[][] c) {
        int d = b.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = c[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        double[] y = new double[d];
        double quad = 0, logDet = 0;
        for (int i = 0; i < d; i++) {
            double s = x[i] - b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
            quad += y[i] * y[i];
            logDet += 2 * Math.log(l[i][i]);
        }
        return -0.5 * (d * Math.log(2 * Math.PI) + logDet + quad);
    }

    private static double[][] modelCovariance(PpcaModel p) {
        double[][] w = p.loadings();
        double[][] c = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                for (int k = 0; k < p.latentDim(); k++) {
                    c[i][j] += w[i][k] * w[j][k];
                }
            }
            c[i][i] += p.noiseVariance();
        }
        return c;
    }

    @Test
    void exactLogLikelihoodEqualsTheDirectMultivariateNormal() {
        float[][] x = data(1);
        double[] m = mean(x);
        for (int q = 1; q < D; q++) {
            PpcaModel p = PpcaModel.fit(m, mlCovariance(x, m), q);
            double[][] c = modelCovariance(p);
            for (int n = 0; n < 5; n++) {
                assertEquals(directLogDensity(x[n], m, c), p.logLikelihood(x[n]), 1e-9, "q=" + q + " row " + n);
            }
        }
    }

    @Test
    void fitIsTheMaximumLikelihoodSolution() {
        float[][] x = data(2);
        double[] m = mean(x);
        double[][] s = mlCovariance(x, m);
        PpcaModel p = PpcaModel.fit(m, s, 2);
        // sigma^2 = mean of the discarded eigenvalues: with trace(S) = sum of all eigenvalues.
        double trace = 0;
        for (int i = 0; i < D; i++) {
            trace += s[i][i];
        }
        double[] top = p.eigenvalues();
        assertEquals((trace - top[0] - top[1]) / (D - 2), p.noiseVariance(), 1e-10);
        assertTrue(top[0] >= top[1] && top[1] > p.noiseVariance());
        // Perturbing sigma^2 or W's scale away from the ML values lowers the training log-likelihood.
        double best = total(x, m, modelCovariance(p));
        for (double f : new double[] {0.9, 1.1}) {
            double[][] c = modelCovariance(p);
            for (int i = 0; i < D; i++) {
                c[i][i] += (f - 1) * p.noiseVariance();
            }
            assertTrue(total(x, m, c) < best, "sigma^2 x " + f);
            double[][] c2 = modelCovariance(p);
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    c2[i][j] = c2[i][j] * f + (i == j ? (1 - f) * p.noiseVariance() : 0);
                }
            }
            assertTrue(total(x, m, c2) < best, "W W^T x " + f);
        }
    }

    private static double total(float[][] x, double[] b, double[][] c) {
        double t = 0;
        for (float[] row : x) {
            t += directLogDensity(row, b, c);
        }
        return t;
    }

    @Test
    void badLatentDimIsRefused() {
        float[][] x = data(3);
        double[] m = mean(x);
        assertThrows(IllegalArgumentException.class, () -> PpcaModel.fit(m, mlCovariance(x, m), 0));
        assertThrows(IllegalArgumentException.class, () -> PpcaModel.fit(m, mlCovariance(x, m), D));
    }
}
