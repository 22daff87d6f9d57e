package org.sparkvae.evaluate;

import org.sparkvae.run.ElboReport;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.spark.OrderedFold;
import org.sparkvae.model.Vae;

import java.util.Iterator;
import java.util.List;
import org.sparkvae.backend.ExecutorPreflight;
import org.sparkvae.model.SettingException;

/**
 * The test ELBO computed on the executors: the model is broadcast (configuration JSON + parameters),
 * each partition evaluates its images in batches with its own seeded noise, and the driver adds up
 * the partial sums. With sampling off (z = mu) it equals {@link ElboEvaluator} on one JVM.
 */
public final class SparkElboEvaluator {
    private final int batchSize;

    public SparkElboEvaluator(int batchSize) {
        if (batchSize <= 0) {
            throw new SettingException("batchSize", "{batchSize} must be a positive integer, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public ElboReport evaluate(JavaSparkContext sc, Vae vae, Dataset<Row> test, long seed, boolean sampling) {
        ExecutorPreflight.requireSupportedGpus(sc);
        Broadcast<VaeBroadcast> model = sc.broadcast(new VaeBroadcast(vae));
        int bs = batchSize;
        ElboEvaluator.Sums total = OrderedFold.fold(test.select(MnistDataFrames.FEATURES).javaRDD()
                .mapPartitionsWithIndex((part, rows) -> partitionSums(model.value(), rows, bs, ElboEvaluator.partitionSeed(seed, part), sampling), false),
                new ElboEvaluator.Sums(0, 0, 0), ElboEvaluator.Sums::plus);
        model.destroy();
        return total.report();
    }

    private static Iterator<ElboEvaluator.Sums> partitionSums(VaeBroadcast b, Iterator<Row> rows, int batchSize,
                                                              long seed, boolean sampling) {
        INDArray x = PartitionFeatures.matrix(rows);
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
        ExecutorPreflight.requireSupportedGpus(sc);
        new IwaeEvaluator(k, false); // validates k on the driver
        Broadcast<VaeBroadcast> model = sc.broadcast(new VaeBroadcast(vae));
        IwaeEvaluator.Sums total = OrderedFold.fold(test.select(MnistDataFrames.FEATURES).javaRDD()
                .mapPartitionsWithIndex((part, rows) -> {
                    INDArray x = PartitionFeatures.matrix(rows);
                    IwaeEvaluator.Sums s = x == null ? new IwaeEvaluator.Sums(0, 0)
                            : new IwaeEvaluator(k, false).sums(model.value().vae(), x, ElboEvaluator.partitionSeed(seed, part));
                    return List.of(s).iterator();
                }, false), new IwaeEvaluator.Sums(0, 0), IwaeEvaluator.Sums::plus);
        model.destroy();
        return total;
    }
}
