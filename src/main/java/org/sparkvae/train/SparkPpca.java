package org.sparkvae.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.mllib.stat.MultivariateStatisticalSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.ppca.PpcaModel;
import org.sparkvae.spark.OrderedFold;

/**
 * Probabilistic PCA on Spark: the mean and covariance come from MLlib's distributed
 * {@link RowMatrix} (one pass over the executors' rows, a D x D Gram matrix reduced on the driver);
 * the closed-form fit is local ({@link PpcaModel}); the test log-likelihood is summed on the executors.
 */
public final class SparkPpca {
    private SparkPpca() { }

    public static PpcaModel fit(Dataset<Row> train, int q) {
        JavaRDD<Vector> rows = vectors(train).cache();
        try {
            RowMatrix matrix = new RowMatrix(rows.rdd());
            MultivariateStatisticalSummary summary = matrix.computeColumnSummaryStatistics();
            long n = summary.count();
            if (n < 2) {
                throw new IllegalArgumentException("PPCA needs at least 2 training images, got " + n);
            }
            Matrix unbiased = matrix.computeCovariance();
            int d = unbiased.numRows();
            double[][] cov = new double[d][d];
            double scale = (n - 1.0) / n; // MLlib divides by n - 1; the ML estimate divides by n
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[i][j] = unbiased.apply(i, j) * scale;
                }
            }
            return PpcaModel.fit(summary.mean().toArray(), cov, q);
        } finally {
            rows.unpersist(false);
        }
    }

    /** Mean exact test log-likelihood (nats per image) and the count. */
    public static double[] meanLogLikelihood(JavaSparkContext sc, PpcaModel model, Dataset<Row> test) {
        Broadcast<PpcaModel> b = sc.broadcast(model);
        double[] sums = OrderedFold.fold(test.select(MnistDataFrames.FEATURES).javaRDD()
                .mapPartitions(rows -> {
                    double[] s = {0, 0};
                    while (rows.hasNext()) {
                        s[0] += b.value().logLikelihood(MnistDataFrames.features(rows.next(), 0));
                        s[1]++;
                    }
                    return java.util.List.of(s).iterator();
                }), new double[] {0, 0}, (a, c) -> new double[] {a[0] + c[0], a[1] + c[1]});
        b.destroy();
        return new double[] {sums[0] / sums[1], sums[1]};
    }

    private static JavaRDD<Vector> vectors(Dataset<Row> frame) {
        return frame.select(MnistDataFrames.FEATURES).javaRDD().map(r -> {
            float[] f = MnistDataFrames.features(r, 0);
            double[] v = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                v[i] = f[i];
            }
            return Vectors.dense(v);
        });
    }
}
