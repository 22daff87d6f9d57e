package org.sparkvae.evaluate;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The test ELBO computed on the executors: the model is broadcast (configuration JSON + parameters),
 * each partition evaluates its images in batches with its own seeded noise, and the driver adds up
 * the partial sums. With sampling off (z = mu) it equals {@link ElboEvaluator} on one JVM.
 */
public final class SparkElboEvaluator {
    private final int batchSize;

    public SparkElboEvaluator(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size must be a positive integer, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** What executors need to rebuild the model (a class, not a record: Spark's Kryo 4 cannot serialise records). */
    static final class ModelBroadcast implements Serializable {
        String configJson;
        float[] params;
        String vaeConfigJson;

        ModelBroadcast() { }

        ModelBroadcast(Vae vae) {
            MultiLayerNetwork net = vae.network();
            this.configJson = net.getLayerWiseConfigurations().toJson();
            this.params = net.params().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatVector();
            try {
                this.vaeConfigJson = org.sparkvae.model.ModelStore.json().writeValueAsString(vae.config());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        Vae vae() {
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configJson));
            net.init(Nd4j.create(params, new long[] {1, params.length}, 'c').castTo(net.getLayerWiseConfigurations().getDataType()), false);
            try {
                return new Vae(net, org.sparkvae.model.ModelStore.json().readValue(vaeConfigJson, VaeConfig.class));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public ElboReport evaluate(JavaSparkContext sc, Vae vae, Dataset<Row> test, long seed, boolean sampling) {
        org.sparkvae.backend.ExecutorPreflight.requireSupportedGpus(sc);
        Broadcast<ModelBroadcast> model = sc.broadcast(new ModelBroadcast(vae));
        int bs = batchSize;
        ElboEvaluator.Sums total = test.select(MnistDataFrames.FEATURES).javaRDD()
                .mapPartitionsWithIndex((part, rows) -> partitionSums(model.value(), rows, bs, seed * 7919 + part, sampling), false)
                .fold(new ElboEvaluator.Sums(0, 0, 0), ElboEvaluator.Sums::plus);
        model.destroy();
        return total.report();
    }

    private static Iterator<ElboEvaluator.Sums> partitionSums(ModelBroadcast b, Iterator<Row> rows, int batchSize,
                                                              long seed, boolean sampling) {
        INDArray x = matrix(rows);
        if (x == null) {
            return List.of(new ElboEvaluator.Sums(0, 0, 0)).iterator();
        }
        return List.of(new ElboEvaluator(batchSize, false).sums(b.vae(), x, seed, sampling)).iterator();
    }

    /**
     * The importance-weighted NLL estimate with {@code k} samples per image, computed on the
     * executors like the ELBO (see {@link IwaeEvaluator}).
     */
    public IwaeEvaluator.Sums evaluateIwae(JavaSparkContext sc, Vae vae, Dataset<Row> test, long seed, int k) {
        org.sparkvae.backend.ExecutorPreflight.requireSupportedGpus(sc);
        new IwaeEvaluator(k, false); // validates k on the driver
        Broadcast<ModelBroadcast> model = sc.broadcast(new ModelBroadcast(vae));
        IwaeEvaluator.Sums total = test.select(MnistDataFrames.FEATURES).javaRDD()
                .mapPartitionsWithIndex((part, rows) -> {
                    INDArray x = matrix(rows);
                    IwaeEvaluator.Sums s = x == null ? new IwaeEvaluator.Sums(0, 0)
                            : new IwaeEvaluator(k, false).sums(model.value().vae(), x, seed * 7919 + part);
                    return List.of(s).iterator();
                }, false)
                .fold(new IwaeEvaluator.Sums(0, 0), IwaeEvaluator.Sums::plus);
        model.destroy();
        return total;
    }

    /** A partition's feature rows as one [n, D] matrix, or null when it is empty. */
    private static INDArray matrix(Iterator<Row> rows) {
        List<float[]> xs = new ArrayList<>();
        rows.forEachRemaining(r -> xs.add(MnistDataFrames.features(r, 0)));
        if (xs.isEmpty()) {
            return null;
        }
        int d = xs.get(0).length;
        float[] flat = new float[xs.size() * d];
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, flat, i * d, d);
        }
        return Nd4j.create(flat, new long[] {xs.size(), d}, 'c');
    }
}
