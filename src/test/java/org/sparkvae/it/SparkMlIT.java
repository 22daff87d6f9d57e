package org.sparkvae.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.cli.SparkVaeCli;
import org.sparkvae.data.RealData;
import org.sparkvae.ml.VaeEstimator;
import org.sparkvae.ml.VaeEvaluator;
import org.sparkvae.ml.VaeModel;

import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.sparkvae.spark.TestSpark;

/** The Spark ML stages on an embedded local[2] master with real MNIST (the idx data source, vector features). */
@org.junit.jupiter.api.parallel.ResourceLock(org.sparkvae.spark.TestSpark.LOCK) // Spark runs in this JVM
class SparkMlIT {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        spark = TestSpark.withNd4j("spark-vae-ml-it", 2);
        String mnist = RealData.mnist().toString();
        train = spark.read().format("idx").load(mnist).where(col("index").lt(2000));
        test = spark.read().format("idx").option("split", "test").load(mnist).where(col("index").lt(1000));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<Row> byIndex(Dataset<Row> df, String... cols) {
        return df.orderBy("index").select("index", cols).collectAsList();
    }

    private static double[] values(Row r, int i) {
        return ((Vector) r.get(i)).toArray();
    }

    @Test
    void fitTransformEvaluate() {
        VaeModel model = new VaeEstimator().setLatentDim(4).setMaxIter(1).setSeed(1).fit(train);
        assertTrue(model.hasSummary());
        assertEquals(1, model.summary().totalIterations());
        double trainNegElbo = model.summary().objectiveHistory()[0];
        assertTrue(trainNegElbo > 100 && trainNegElbo < 543, "one epoch on 2,000 images: " + trainNegElbo);
        assertEquals(1, model.summary().workers(), "one worker on a local master, as the CLI");

        Dataset<Row> scored = model.transform(test);
        assertEquals(List.of("index", "label", "features", "mu", "z", "neg_elbo", "recon", "kl"), List.of(scored.columns()));
        List<Row> rows = byIndex(scored, "mu", "z", "neg_elbo", "recon", "kl");
        assertEquals(1000, rows.size());
        for (Row r : rows) {
            assertEquals(4, values(r, 1).length);
            assertEquals(4, values(r, 2).length);
            assertEquals(r.getDouble(3), r.getDouble(4) + r.getDouble(5), 1e-9);
            assertTrue(r.getDouble(4) > 0 && r.getDouble(5) >= 0, "-log p(x|z) > 0 for binary pixels, KL >= 0");
            assertFalse(java.util.Arrays.equals(values(r, 1), values(r, 2)), "z is a draw, not mu");
        }
        // Re-evaluating the DataFrame gives each row the same draw, bit for bit; re-partitioned rows meet other
        // rows in their forward pass's batch (float gemm may round differently), so there up to rounding.
        assertTrue(rows.equals(byIndex(model.transform(test), "mu", "z", "neg_elbo", "recon", "kl")), "same draws");
        List<Row> moved = byIndex(model.transform(test.repartition(3)), "mu", "z", "neg_elbo", "recon", "kl");
        for (int i = 0; i < rows.size(); i++) {
            assertArrayEquals(values(rows.get(i), 2), values(moved.get(i), 2), 1e-4, "row " + i + ": z");
            assertEquals(rows.get(i).getDouble(3), moved.get(i).getDouble(3), 1e-5 * rows.get(i).getDouble(3), "row " + i);
        }

        double mean = rows.stream().mapToDouble(r -> r.getDouble(3)).average().orElseThrow();
        VaeEvaluator evaluator = new VaeEvaluator();
        assertFalse(evaluator.isLargerBetter());
        assertEquals(mean, evaluator.evaluate(scored), 1e-9 * mean);
        assertEquals(mean, evaluator.setMetricName("recon").evaluate(scored) + evaluator.setMetricName("kl").evaluate(scored),
                1e-9 * mean);

        // Sampling off: z = mu, and no worse on average than one draw (Jensen on a trained model is not a law; a
        // loose check that the scores are the model's, not noise).
        List<Row> means = byIndex(model.setSampling(false).transform(test), "mu", "z");
        for (Row r : means) {
            assertArrayEquals(values(r, 1), values(r, 2));
        }
    }

    /** validationIndicatorCol: the marked rows are held out of training and scored after every epoch. */
    @Test
    void validationRowsAreHeldOutAndScoredEveryEpoch() {
        Dataset<Row> marked = train.withColumn("held", col("index").geq(1500));
        VaeModel model = new VaeEstimator().setLatentDim(4).setMaxIter(2).setSeed(1).setValidationIndicatorCol("held").fit(marked);
        double[] validation = model.summary().validationHistory();
        assertEquals(2, validation.length);
        assertTrue(validation[1] > 100 && validation[1] < 543, "validation -ELBO " + java.util.Arrays.toString(validation));
        assertEquals(1500, model.summary().epochs().get(0).examples(), "the 500 held-out rows were not trained on");
        assertEquals(validation[1], model.info().epochMetrics().get(1).testNegElbo(), 0.0, "recorded in the model's info too");
        assertEquals(0, new VaeEstimator().setLatentDim(4).setMaxIter(1).fit(train).summary().validationHistory().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VaeEstimator().setValidationIndicatorCol("index").fit(train));
        assertTrue(e.getMessage().contains("validationIndicatorCol index must be a boolean column"), e.getMessage());
    }

    @Test
    void aPipelineWithPcaSavesAndLoadsWithIdenticalOutput() throws Exception {
        PCA pca = new PCA().setInputCol("mu").setOutputCol("pca").setK(2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new VaeEstimator().setLatentDim(4).setMaxIter(1).setSampling(false), pca});
        PipelineModel fitted = pipeline.fit(train);
        List<Row> before = byIndex(fitted.transform(test), "mu", "pca");

        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        // Never silently over a saved model.
        assertThrows(java.io.IOException.class, () -> fitted.write().save(path));
        PipelineModel loaded = PipelineModel.load(path);
        VaeModel vae = (VaeModel) loaded.stages()[0];
        assertFalse(vae.getSampling(), "the Params come back");
        assertFalse(vae.hasSummary(), "as MLlib: a loaded model has no training summary");
        assertEquals(4, vae.latentDim());
        List<Row> after = byIndex(loaded.transform(test), "mu", "pca");
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(values(before.get(i), 1), values(after.get(i), 1));
            assertArrayEquals(values(before.get(i), 2), values(after.get(i), 2));
        }
        // The unfitted pipeline round-trips too (the estimator's Params as metadata).
        String spec = dir.resolve("spec").toString();
        pipeline.write().save(spec);
        VaeEstimator est = (VaeEstimator) Pipeline.load(spec).getStages()[0];
        assertEquals(4, est.getLatentDim());
        assertEquals(1, est.getMaxIter());
    }

    @Test
    void aCliTrainedModelScoresAsTheEvaluateCommand() throws Exception {
        String slice = Path.of(SparkMlIT.class.getResource("/mnist-slice").toURI()).toString();
        Path zip = dir.resolve("cli.zip");
        assertEquals(0, SparkVaeCli.execute("train", "--data", slice, "--model", zip.toString(), "--epochs", "1",
                "--latent-dim", "3", "--single-jvm", "--no-progress", "--no-test-eval"));
        Path json = dir.resolve("eval.json");
        assertEquals(0, SparkVaeCli.execute("evaluate", "--model", zip.toString(), "--data", slice, "--no-sampling",
                "--single-jvm", "--no-progress", "--out", json.toString()));
        JsonNode cli = new ObjectMapper().readTree(json.toFile());

        VaeModel model = VaeModel.fromFile(zip.toString()).setSampling(false);
        Dataset<Row> scored = model.transform(spark.read().format("idx").option("split", "test").load(slice));
        double negElbo = new VaeEvaluator().evaluate(scored);
        assertEquals(cli.get("n").asLong(), scored.count());
        assertEquals(cli.get("test_neg_elbo").asDouble(), negElbo, 1e-6 * negElbo);
        assertEquals(cli.get("test_kl").asDouble(), new VaeEvaluator().setMetricName("kl").evaluate(scored),
                1e-6 * cli.get("test_kl").asDouble());

        // Continuous pixels for a binary model are refused before any work, naming the fix.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.transform(
                spark.read().format("idx").option("mode", "continuous").option("split", "test").load(slice)));
        assertTrue(e.getMessage().contains("trained on binary pixels"), e.getMessage());
    }
}
