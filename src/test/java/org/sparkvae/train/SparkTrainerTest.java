package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.sparkvae.spark.TestSpark;

/** What the driver sees of local workers: every minibatch counted, the epoch loss their mean. */
class SparkTrainerTest {
    private static SparkSession spark() {
        return TestSpark.withNd4j("spark-trainer-test", 2);
    }

    /**
     * Two workers in two task threads, one seed: the trained parameters, Adam state and epoch losses repeat
     * bit for bit. Fails when the workers draw eps from their threads' unseeded generators, when a worker's
     * rows arrive in shuffle-fetch order, or when per-worker losses are added in thread order.
     */
    @Test
    void sameSeedSameParametersBitForBit() throws Exception {
        SparkSession spark = spark();
        try {
            LabelledImages train = new MnistFiles(Path.of(getClass().getResource("/mnist-slice").toURI()).toString())
                    .read28x28(MnistFiles.Split.TRAIN);
            float[][] params = new float[2][];
            float[][] adam = new float[2][];
            List<List<Double>> losses = new ArrayList<>();
            for (int run = 0; run < 2; run++) {
                // Other work on the same threads in between (as in a real driver): the generators' states move.
                org.nd4j.linalg.factory.Nd4j.randn(3, 3);
                Vae vae = Vae.create(VaeConfig.mnist(3), 5);
                List<EpochRecord> seen = new ArrayList<>();
                new SparkTrainer(new SparkTrainingOptions(2, 100, 5, 2, 11)).train(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()), vae,
                        MnistDataFrames.fromImages(spark, train, DataMode.BINARY, 3), seen::add);
                params[run] = vae.network().params().toFloatVector();
                adam[run] = vae.network().getUpdater().getStateViewArray().toFloatVector();
                losses.add(seen.stream().map(EpochRecord::trainNegElbo).toList());
            }
            // assertArrayEquals on floats compares bits, no tolerance.
            org.junit.jupiter.api.Assertions.assertArrayEquals(params[0], params[1], "parameters after the same seeded training");
            org.junit.jupiter.api.Assertions.assertArrayEquals(adam[0], adam[1], "Adam state after the same seeded training");
            assertEquals(losses.get(0), losses.get(1));
        } finally {
            spark.stop();
        }
    }

    /**
     * Three averaged workers (on two cores, so their tasks finish in varying order): the same seeded training twice
     * gives bit-identical parameters and Adam state. DL4J alone adds the workers' results in completion order
     * (OrderedParameterAveraging), which float addition does not forgive with three or more terms.
     */
    @Test
    void threeWorkersRepeatBitForBit() throws Exception {
        SparkSession spark = spark();
        try {
            LabelledImages train = new MnistFiles(Path.of(getClass().getResource("/mnist-slice").toURI()).toString())
                    .read28x28(MnistFiles.Split.TRAIN);
            float[][] params = new float[3][];
            float[][] adam = new float[3][];
            for (int run = 0; run < 3; run++) {
                Vae vae = Vae.create(VaeConfig.mnist(3), 5);
                new SparkTrainer(new SparkTrainingOptions(1, 50, 3, 3, 11)).train(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()), vae,
                        MnistDataFrames.fromImages(spark, train, DataMode.BINARY, 3), m -> { });
                params[run] = vae.network().params().toFloatVector();
                adam[run] = vae.network().getUpdater().getStateViewArray().toFloatVector();
            }
            for (int run = 1; run < 3; run++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(params[0], params[run], "parameters, run " + run);
                org.junit.jupiter.api.Assertions.assertArrayEquals(adam[0], adam[run], "Adam state, run " + run);
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void localWorkersReportEveryMinibatch() throws Exception {
        SparkSession spark = spark();
        try {
            LabelledImages train = new MnistFiles(Path.of(getClass().getResource("/mnist-slice").toURI()).toString())
                    .read28x28(MnistFiles.Split.TRAIN);
            // The steps the trainer reports at the end of each epoch: every local worker's minibatches, counted.
            java.util.Map<Integer, Long> stepsAtEnd = new java.util.TreeMap<>();
            TrainingListener counter = new TrainingListener() {
                private long done;

                @Override
                public void onSteps(long steps, double meanLoss) {
                    done = steps;
                }

                @Override
                public void onEpoch(EpochRecord epoch, List<EpochRecord> history) {
                    stepsAtEnd.put(epoch.epoch(), done);
                }
            };
            int heldBefore = SparkTrainer.RoundBatches.held();
            List<EpochRecord> seen = new ArrayList<>();
            // 2,000 images on two workers of 1,000, batch 50: 20 minibatches each, 40 per epoch.
            new SparkTrainer(new SparkTrainingOptions(2, 50, 7, 2, 1)).train(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()), Vae.create(VaeConfig.mnist(4), 1),
                    MnistDataFrames.fromImages(spark, train, DataMode.BINARY, 2), 1, new TrainingEvents(2,
                            List.of(counter, (e, h) -> seen.add(e)), e -> e, new ArrayList<>()));
            assertEquals(2 * 40, stepsAtEnd.values().stream().mapToLong(Long::longValue).sum(), stepsAtEnd.toString());
            // 6 averaging rounds of at most 7 minibatches per worker: only the last round's arrays are still held,
            // the earlier rounds' were closed as the next round started (not all 80 minibatches, left to the GC).
            int held = SparkTrainer.RoundBatches.held() - heldBefore;
            assertTrue(held > 0 && held <= 2 * 7, "minibatch arrays still held: " + held);
            // Mean of per-minibatch losses: an untrained decoder starts near 543 nats, so epoch 1 lies below that.
            assertTrue(seen.get(0).trainNegElbo() < 543 && seen.get(0).trainNegElbo() > seen.get(1).trainNegElbo(),
                    seen.toString());
        } finally {
            spark.stop();
        }
    }
}
