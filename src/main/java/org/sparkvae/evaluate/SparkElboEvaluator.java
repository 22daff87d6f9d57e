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
        int inputSize;
        int hiddenUnits;
        int latentDim;
        double learningRate;

        ModelBroadcast() { }

        ModelBroadcast(String configJson, float[] params, VaeConfig c) {
            this.configJson = configJson;
            this.params = params;
            this.inputSize = c.inputSize();
            this.hiddenUnits = c.hiddenUnits();
            this.latentDim = c.latentDim();
            this.learningRate = c.learningRate();
        }

        VaeConfig config() {
            return new VaeConfig(inputSize, hiddenUnits, latentDim, learningRate);
        }
    }

    public ElboReport evaluate(JavaSparkContext sc, Vae vae, Dataset<Row> test, long seed, boolean sampling) {
        org.sparkvae.backend.ExecutorPreflight.requireSupportedGpus(sc);
        MultiLayerNetwork net = vae.network();
        Broadcast<ModelBroadcast> model = sc.broadcast(new ModelBroadcast(net.getLayerWiseConfigurations().toJson(),
                net.params().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatVector(), vae.config()));
        int bs = batchSize;
        ElboEvaluator.Sums total = test.select(MnistDataFrames.FEATURES).javaRDD()
                .mapPartitionsWithIndex((part, rows) -> partitionSums(model.value(), rows, bs, seed * 7919 + part, sampling), false)
                .fold(new ElboEvaluator.Sums(0, 0, 0), ElboEvaluator.Sums::plus);
        model.destroy();
        return total.report();
    }

    private static Iterator<ElboEvaluator.Sums> partitionSums(ModelBroadcast b, Iterator<Row> rows, int batchSize,
                                                              long seed, boolean sampling) {
        List<float[]> xs = new ArrayList<>();
        rows.forEachRemaining(r -> xs.add(MnistDataFrames.features(r, 0)));
        if (xs.isEmpty()) {
            return List.of(new ElboEvaluator.Sums(0, 0, 0)).iterator();
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(b.configJson));
        net.init(Nd4j.create(b.params, new long[] {1, b.params.length}, 'c').castTo(net.getLayerWiseConfigurations().getDataType()), false);
        Vae vae = new Vae(net, b.config());
        int d = xs.get(0).length;
        float[] flat = new float[xs.size() * d];
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, flat, i * d, d);
        }
        INDArray x = Nd4j.create(flat, new long[] {xs.size(), d}, 'c');
        return List.of(new ElboEvaluator(batchSize, false).sums(vae, x, seed, sampling)).iterator();
    }
}
