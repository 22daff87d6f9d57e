package org.sparkvae.analysis;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.evaluate.PartitionFeatures;
import org.sparkvae.evaluate.VaeBroadcast;
import org.sparkvae.model.Posterior;
import org.sparkvae.model.Vae;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.model.workarounds.Nd4jSeeds;

/**
 * The aggregate posterior of the test set, computed on the executors: each image is encoded once
 * (a sample z ~ q(z|x) and the mean mu), then Spark MLlib's PCA (k = 2) is fitted on the samples
 * when M &gt; 2 and projects them to (pc1, pc2); with M = 2, (pc1, pc2) = z. Result columns:
 * index, label, z, mu (float arrays), pc1, pc2.
 */
public final class LatentProjection {
    public static final StructType LATENTS = new StructType()
            .add(MnistDataFrames.INDEX, DataTypes.LongType, false)
            .add(MnistDataFrames.LABEL, DataTypes.IntegerType, false)
            .add("z", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("mu", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /** The projected latents and, when PCA ran, the two components' explained-variance ratios. */
    public record Result(Dataset<Row> latents, double[] explainedVariance) { }

    private LatentProjection() { }

    public static Result project(SparkSession spark, Vae vae, Dataset<Row> test, long seed) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<VaeBroadcast> model = sc.broadcast(new VaeBroadcast(vae));
        JavaRDD<Row> encoded = test.select(MnistDataFrames.INDEX, MnistDataFrames.LABEL, MnistDataFrames.FEATURES).javaRDD()
                .mapPartitionsWithIndex((part, rows) -> encode(model.value(), rows, ElboEvaluator.partitionSeed(seed, part)), false);
        Dataset<Row> latents = spark.createDataFrame(encoded, LATENTS).cache();
        latents.count(); // encode once, on the executors, before PCA reads the samples
        // The broadcast stays: the returned table's lineage (PCA, the Parquet write) still refers to it.
        int m = vae.config().latentDim();
        if (m == 1) {
            return new Result(latents.withColumn("pc1", col("z").getItem(0).cast(DataTypes.DoubleType))
                    .withColumn("pc2", org.apache.spark.sql.functions.lit(0.0)), null);
        }
        if (m == 2) {
            return new Result(latents.withColumn("pc1", col("z").getItem(0).cast(DataTypes.DoubleType))
                    .withColumn("pc2", col("z").getItem(1).cast(DataTypes.DoubleType)), null);
        }
        Dataset<Row> withVector = latents.withColumn("z_vector",
                org.apache.spark.ml.functions.array_to_vector(col("z")));
        PCAModel pca = new PCA().setK(2).setInputCol("z_vector").setOutputCol("pcs").fit(withVector);
        Dataset<Row> projected = pca.transform(withVector)
                .withColumn("pc_array", org.apache.spark.ml.functions.vector_to_array(col("pcs"), "float64"))
                .select(col(MnistDataFrames.INDEX), col(MnistDataFrames.LABEL), col("z"), col("mu"),
                        col("pc_array").getItem(0).as("pc1"), col("pc_array").getItem(1).as("pc2"));
        return new Result(projected, pca.explainedVariance().toArray());
    }

    private static Iterator<Row> encode(VaeBroadcast b, Iterator<Row> rows, long seed) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        INDArray x = PartitionFeatures.matrix(all, 2);
        if (x == null) {
            return java.util.Collections.emptyIterator();
        }
        Vae vae = b.vae();
        Nd4jSeeds.seed(seed);
        List<Row> out = new ArrayList<>(all.size());
        int batch = ElboEvaluator.DEFAULT_BATCH;
        for (int from = 0; from < all.size(); from += batch) {
            int to = Math.min(all.size(), from + batch);
            Posterior q = vae.encode(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()));
            float[][] z = q.z().castTo(DataType.FLOAT).toFloatMatrix();
            float[][] mu = q.mu().castTo(DataType.FLOAT).toFloatMatrix();
            for (int i = from; i < to; i++) {
                Row r = all.get(i);
                out.add(RowFactory.create(r.getLong(0), r.getInt(1), boxed(z[i - from]), boxed(mu[i - from])));
            }
        }
        return out.iterator();
    }

    private static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }
}
