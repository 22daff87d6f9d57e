package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.model.Vae;

import java.util.List;

/**
 * Trains a VAE's network, epochs {@code firstEpoch..} of a run, reporting to its {@link TrainingEvents}: one interface
 * for the single-JVM {@link LocalTrainer} and Spark's parameter averaging ({@link SparkTrainer}), each bound to its data.
 * {@code TrainingRun}, the sweep and the Spark ML estimator train through it.
 */
@FunctionalInterface
public interface VaeTrainer {
    List<EpochRecord> train(Vae vae, int firstEpoch, TrainingEvents events);

    /** In this JVM, on the rows of {@code features} [n, D]; seeded shuffles and noise. */
    static VaeTrainer singleJvm(TrainingOptions options, INDArray features) {
        return (vae, firstEpoch, events) -> new LocalTrainer(options).train(vae, features, firstEpoch, events);
    }

    /** On Spark's executors: {@code frame} holds {@code index} and {@code features}; parameters averaged per round. */
    static VaeTrainer spark(SparkTrainingOptions options, JavaSparkContext sc, Dataset<Row> frame) {
        return (vae, firstEpoch, events) -> new SparkTrainer(options).train(sc, vae, frame, firstEpoch, events);
    }
}
