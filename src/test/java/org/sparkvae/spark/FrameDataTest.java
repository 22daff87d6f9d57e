package org.sparkvae.spark;

import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.FrameSource;
import org.sparkvae.data.ImageShape;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.job.EvaluationRun;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.job.TrainingRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Train and evaluate on rows from another Spark data source: Parquet files of 14x14 images (the MNIST slice,
 * 2x2-average-pooled, as ML vectors) with and without labels. The model takes D = 196; bad rows are refused with
 * one sentence naming the path before a model sees them.
 */
class FrameDataTest {
    private static final SparkSetup LOCAL2 = new SparkSetup("local[2]", null);
    private static final StructType LABELLED = new StructType().add("label", DataTypes.IntegerType).add("features", new VectorUDT());
    private static final StructType UNLABELLED = new StructType().add("features", new VectorUDT());

    @TempDir
    static Path dir;
    static Path train;
    static Path test;

    /** 2x2 average pooling of a 28x28 image, scaled to [0, 1]. */
    private static double[] pooled(LabelledImages images, int i) {
        byte[] px = images.images().pixels();
        double[] out = new double[196];
        for (int r = 0; r < 14; r++) {
            for (int c = 0; c < 14; c++) {
                double s = 0;
                for (int dr = 0; dr < 2; dr++) {
                    for (int dc = 0; dc < 2; dc++) {
                        s += px[i * 784 + (2 * r + dr) * 28 + 2 * c + dc] & 0xFF;
                    }
                }
                out[r * 14 + c] = s / (4 * 255.0);
            }
        }
        return out;
    }

    private static void write(SparkSession session, Path path, StructType schema, List<Row> rows) {
        session.createDataFrame(rows, schema).coalesce(2).write().parquet(path.toString());
    }

    @BeforeAll
    static void writeParquet() throws Exception {
        MnistFiles files = new MnistFiles(Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString());
        LabelledImages trainImages = files.read28x28(MnistFiles.Split.TRAIN).head(1200);
        LabelledImages testImages = files.read28x28(MnistFiles.Split.TEST).head(300);
        try (SparkSession session = LOCAL2.session("frame-data-test")) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < trainImages.size(); i++) {
                rows.add(RowFactory.create(trainImages.label(i), Vectors.dense(pooled(trainImages, i))));
            }
            train = dir.resolve("train.parquet");
            write(session, train, LABELLED, rows);
            List<Row> testRows = new ArrayList<>();
            for (int i = 0; i < testImages.size(); i++) {
                testRows.add(RowFactory.create(Vectors.dense(pooled(testImages, i)))); // no labels: they are optional
            }
            test = dir.resolve("test.parquet");
            write(session, test, UNLABELLED, testRows);
            // Bad sets: a value above 1; rows of two lengths; a string label.
            write(session, dir.resolve("above-one.parquet"), UNLABELLED,
                    List.of(RowFactory.create(Vectors.dense(0.2, 0.5)), RowFactory.create(Vectors.dense(0.1, 1.5))));
            write(session, dir.resolve("two.parquet"), UNLABELLED,
                    List.of(RowFactory.create(Vectors.dense(0.2, 0.5)), RowFactory.create(Vectors.dense(0.1, 0.5))));
            write(session, dir.resolve("ragged.parquet"), UNLABELLED,
                    List.of(RowFactory.create(Vectors.dense(0.2, 0.5)), RowFactory.create(Vectors.dense(0.1, 0.5, 0.3))));
            session.createDataFrame(List.of(RowFactory.create("seven", Vectors.dense(0.2, 0.5))),
                    new StructType().add("label", DataTypes.StringType).add("features", new VectorUDT()))
                    .write().parquet(dir.resolve("string-label.parquet").toString());
        }
    }

    @AfterAll
    static void noSessionLeft() {
        assertTrue(SparkSession.getActiveSession().isEmpty() || SparkSession.getActiveSession().get().sparkContext().isStopped());
    }

    private static TrainingRun.Spec spec(String model, FrameSource frames, SparkSetup spark) {
        return new TrainingRun.Spec(VaeConfig.defaults(), DataMode.BINARY, () -> {
            throw new AssertionError("an IDX directory was looked for");
        }, model, 2, 100, 7, false, false, true, false, spark, null, 50, frames);
    }

    @Test
    void trainsAndEvaluatesOnParquetRowsOfAnyD() throws Exception {
        String model = dir.resolve("m196.zip").toString();
        TrainingRun.Result r = TrainingRun.run(spec(model, new FrameSource(train.toString(), test.toString(), "parquet",
                ImageShape.parse("14x14")), LOCAL2));
        assertEquals(196, r.info().config().inputSize());
        assertEquals(ImageShape.parse("14x14"), r.info().imageShape());
        assertEquals(2, r.info().epochMetrics().size());
        double lastTest = r.info().epochMetrics().get(1).testNegElbo();
        // 196 Bernoulli pixels: far under an untrained decoder's 196 ln 2 = 136 nats, and above 0.
        assertTrue(lastTest > 10 && lastTest < 136, "test -ELBO " + lastTest);
        assertTrue(r.info().epochMetrics().get(1).trainNegElbo() < r.info().epochMetrics().get(0).trainNegElbo());
        // What the model's files say it is: D and the shape survive the round trip.
        ModelStore.Loaded loaded = ModelStore.load(model);
        assertEquals(196, loaded.info().config().inputSize());
        assertEquals(ImageShape.parse("14x14"), loaded.info().shape());

        // evaluate on the same held-out rows, same seed and batch: the last epoch's test ELBO again.
        EvaluationRun.Result e = EvaluationRun.run(new EvaluationRun.Spec(model, null, 1000, 7, true, 5, 100, false, LOCAL2, null,
                false, new FrameSource(train.toString(), test.toString(), "parquet", null)));
        assertEquals(300, e.n());
        assertEquals(lastTest, e.testNegElbo(), 1e-9 * lastTest);
        assertEquals(100L, e.iwaeN());
        assertTrue(e.testNllIwae() <= e.testNegElbo() + 1, "IWAE bound " + e.testNllIwae());
        assertEquals(test.toString(), e.dataDir());

        // A job that feeds it 28x28 IDX images refuses it in one sentence.
        IllegalArgumentException idx = assertThrows(IllegalArgumentException.class, () -> EvaluationRun.run(new EvaluationRun.Spec(
                model, () -> new MnistFiles(Path.of("src", "test", "resources", "mnist-slice").toString()), 1000, 7, true, null, null,
                false, LOCAL2, null, false)));
        assertEquals(model + ": the model takes 196 values per row (14x14 images); evaluate it on rows of that size with `dataFormat`",
                idx.getMessage());

        // project on the unlabelled rows: every row encoded and projected, drawn in one colour.
        String out = dir.resolve("proj").toString();
        org.sparkvae.analysis.ProjectionJob.Summary p = org.sparkvae.analysis.ProjectionJob.run(new org.sparkvae.analysis.ProjectionJob.Spec(
                model, null, 3, out, false, false, LOCAL2, new FrameSource(train.toString(), test.toString(), "parquet", null)));
        assertEquals(300, p.n());
        assertTrue(Files.size(Path.of(out, "latent-pca.png")) > 1000);
        try (SparkSession session = LOCAL2.session("check")) {
            List<Row> labels = session.read().parquet(Path.of(out, "latents.parquet").toString()).groupBy("label").count().collectAsList();
            assertEquals(1, labels.size());
            assertEquals(org.sparkvae.analysis.ProjectionJob.UNLABELLED, labels.get(0).getInt(0));
            assertEquals(300L, labels.get(0).getLong(1));
        }
    }

    @Test
    void withoutTestDataThereIsNoPerEpochTestElbo() throws Exception {
        // No --image-shape and no metadata: the shape is unknown, D comes from the rows.
        TrainingRun.Result r = TrainingRun.run(spec(dir.resolve("notest.zip").toString(),
                new FrameSource(train.toString(), null, "parquet", null), LOCAL2));
        assertEquals(196, r.info().config().inputSize());
        assertEquals(null, r.info().shape());
        assertTrue(r.info().epochMetrics().stream().allMatch(m -> m.testNegElbo() == null));
    }

    private static String refusal(FrameSource frames, SparkSetup spark) {
        String model = dir.resolve("never-" + System.nanoTime() + ".zip").toString();
        Exception e = assertThrows(Exception.class, () -> TrainingRun.run(spec(model, frames, spark)));
        assertFalse(Files.exists(Path.of(model)), "nothing written for bad input");
        return e.getMessage();
    }

    @Test
    void badRowsAreRefusedInOneSentenceNamingThePath() {
        String above = dir.resolve("above-one.parquet").toString();
        assertEquals(above + ": features values must lie in [0, 1] (pixel intensities), found 0.1 to 1.5",
                refusal(new FrameSource(above, null, "parquet", null), LOCAL2));
        String ragged = dir.resolve("ragged.parquet").toString();
        assertEquals(ragged + ": rows have from 2 to 3 features values; every row needs the same positive number D",
                refusal(new FrameSource(ragged, null, "parquet", null), LOCAL2));
        String label = dir.resolve("string-label.parquet").toString();
        assertEquals(label + ": column label must hold integers, but is string",
                refusal(new FrameSource(label, null, "parquet", null), LOCAL2));
        assertEquals(test + ": rows have 196 values, but the image shape 28x28 (`imageShape`) has 784",
                refusal(new FrameSource(test.toString(), null, "parquet", ImageShape.MNIST), LOCAL2));
        // The held-out rows must have the training rows' D.
        String two = dir.resolve("two.parquet").toString();
        assertEquals(two + ": rows have 2 values, the model takes 196",
                refusal(new FrameSource(train.toString(), two, "parquet", null), LOCAL2));
        String missing = dir.resolve("nothing-here").toString();
        String m = refusal(new FrameSource(missing, null, "parquet", null), LOCAL2);
        assertTrue(m.startsWith(missing + ": cannot read it as parquet: [PATH_NOT_FOUND]"), m);
        assertEquals("`dataFormat` parquet: rows from a Spark data source are read by Spark's executors; drop `singleJvm` "
                + "(one JVM reads IDX files only)", refusal(new FrameSource(train.toString(), null, "parquet", null), null));
    }
}
