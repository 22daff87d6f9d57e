package org.sparkvae.evaluate;

import org.sparkvae.run.ElboReport;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.model.Features;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.train.SparkTrainer;
import org.sparkvae.train.SparkTrainingOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.sparkvae.spark.TestSpark;

/** The Spark path on an embedded local[2] master, on the real-MNIST slice. */
class SparkPipelineTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static LabelledImages train;
    private static LabelledImages test;

    @BeforeAll
    static void start() throws Exception {
        spark = TestSpark.withNd4j("spark-vae-test", 2);
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        MnistFiles files = new MnistFiles(Path.of(SparkPipelineTest.class.getResource("/mnist-slice").toURI()).toString());
        train = files.read28x28(MnistFiles.Split.TRAIN);
        test = files.read28x28(MnistFiles.Split.TEST);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void dataFramePairsLabelsWithImagesAndRecordsTheMode() {
        Dataset<Row> df = MnistDataFrames.fromImages(spark, test, DataMode.BINARY, 3);
        assertEquals(3, df.javaRDD().getNumPartitions());
        assertEquals(500, df.count());
        List<Row> first = df.orderBy(MnistDataFrames.INDEX).limit(5).collectAsList();
        int[] labels = first.stream().mapToInt(r -> r.getInt(1)).toArray();
        assertEquals(List.of(7, 2, 1, 0, 4), java.util.Arrays.stream(labels).boxed().toList());
        assertEquals("binary", df.schema().apply(MnistDataFrames.FEATURES).metadata().getString("data_mode"));
        List<Object> px = first.get(0).getList(2);
        assertEquals(784, px.size());
        assertTrue(px.stream().allMatch(v -> (Float) v == 0f || (Float) v == 1f));
    }

    @Test
    void distributedEvaluationEqualsSingleJvmWithoutNoise() {
        Vae vae = Vae.create(VaeConfig.mnist(6), 3);
        INDArray x = Features.of(test, DataMode.BINARY);
        ElboReport local = new ElboEvaluator(100, false).evaluate(vae, x, 0, false);
        ElboReport distributed = new SparkElboEvaluator(100).evaluate(sc, vae,
                MnistDataFrames.fromImages(spark, test, DataMode.BINARY, 4), 0, false);
        assertEquals(local.n(), distributed.n());
        assertEquals(local.negElbo(), distributed.negElbo(), 1e-6 * local.negElbo());
        assertEquals(local.recon(), distributed.recon(), 1e-6 * local.recon());
        assertEquals(local.kl(), distributed.kl(), 1e-6 * Math.max(1, local.kl()));
    }

    @Test
    void parameterAveragingTrainingLowersTheLoss() {
        Vae vae = Vae.create(VaeConfig.mnist(10), 1);
        INDArray x = Features.of(test, DataMode.BINARY);
        double before = new ElboEvaluator(250, false).evaluate(vae, x, 0, true).negElbo();
        List<EpochRecord> seen = new ArrayList<>();
        new SparkTrainer(new SparkTrainingOptions(2, 50, 5, 2, 1)).train(sc, vae,
                MnistDataFrames.fromImages(spark, train, DataMode.BINARY, 2), seen::add);
        double after = new ElboEvaluator(250, false).evaluate(vae, x, 0, true).negElbo();
        assertEquals(2, seen.size());
        assertEquals(2000, seen.get(0).examples());
        assertTrue(after < before - 150, "before " + before + ", after " + after);
    }

    /** Spark jobs started while {@code body} runs (the listener bus drained before counting). */
    private static int jobsDuring(Runnable body) throws Exception {
        java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.spark.scheduler.SparkListener counter = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
                jobs.incrementAndGet();
            }
        };
        spark.sparkContext().addSparkListener(counter);
        try {
            body.run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
        return jobs.get();
    }

    @Test
    void oneWorkerTrainsOneRoundPerEpochWhateverTheAveragingFrequency() throws Exception {
        // 2,000 images, batch 50: 40 minibatches per epoch on one worker, 20 per worker on two.
        Dataset<Row> one = MnistDataFrames.fromImages(spark, train, DataMode.BINARY, 1);
        Dataset<Row> two = MnistDataFrames.fromImages(spark, train, DataMode.BINARY, 2);
        Vae a = Vae.create(VaeConfig.mnist(4), 1);
        Vae b = Vae.create(VaeConfig.mnist(4), 1);
        Vae c = Vae.create(VaeConfig.mnist(4), 1);
        // Averaging every 2 would be 20 rounds per epoch; one worker has nothing to average, so it takes one.
        int oneWorker = jobsDuring(() -> new SparkTrainer(new SparkTrainingOptions(2, 50, 2, 1, 1)).train(sc, a, one, m -> { }));
        // Two workers averaging every 20: one round per epoch as well.
        int oneRound = jobsDuring(() -> new SparkTrainer(new SparkTrainingOptions(2, 50, 20, 2, 1)).train(sc, b, two, m -> { }));
        // Two workers averaging every 2: ten rounds per epoch.
        int tenRounds = jobsDuring(() -> new SparkTrainer(new SparkTrainingOptions(2, 50, 2, 2, 1)).train(sc, c, two, m -> { }));
        assertEquals(oneRound, oneWorker, "jobs: one worker vs one round per epoch");
        assertTrue(tenRounds > oneRound + 2 * 8, "ten rounds per epoch start more jobs: " + tenRounds + " vs " + oneRound);
    }

    @Test
    void parquetCacheIsWrittenOnceAndReused(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        String dir = tmp.resolve("cache").toString();
        Dataset<Row> first = MnistDataFrames.loadCached(spark, test, "test", DataMode.BINARY, 2, dir);
        Path written;
        try (var files = java.nio.file.Files.list(tmp.resolve("cache"))) {
            written = files.findFirst().orElseThrow();
        }
        assertTrue(written.getFileName().toString().startsWith("test-binary-"), written.toString());
        long stamp = java.nio.file.Files.getLastModifiedTime(written.resolve("_SUCCESS")).toMillis();
        Dataset<Row> second = MnistDataFrames.loadCached(spark, test, "test", DataMode.BINARY, 2, dir);
        assertEquals(stamp, java.nio.file.Files.getLastModifiedTime(written.resolve("_SUCCESS")).toMillis(), "not rewritten");
        assertEquals(500, second.count());
        assertEquals(first.orderBy(MnistDataFrames.INDEX).limit(3).collectAsList(),
                second.orderBy(MnistDataFrames.INDEX).limit(3).collectAsList());
        assertEquals("binary", second.schema().apply(MnistDataFrames.FEATURES).metadata().getString("data_mode"));
    }

    /**
     * A truncated part file (a full disk, a copy cut short) is found before Spark reads it: the entry is rebuilt
     * with a one-line warning and the rows equal a run without the cache. Before, every later run failed with
     * Spark's stage-failure text until the user deleted the directory.
     */
    @Test
    void aTruncatedCachePartIsRebuiltWithAWarning(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        String dir = tmp.resolve("cache").toString();
        MnistDataFrames.loadCached(spark, test, "test", DataMode.BINARY, 2, dir).count();
        Path entry;
        try (var files = java.nio.file.Files.list(tmp.resolve("cache"))) {
            entry = files.filter(f -> !f.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
        }
        Path part;
        try (var files = java.nio.file.Files.list(entry)) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        long length = java.nio.file.Files.size(part);
        try (var ch = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(length / 2);
        }
        java.nio.file.Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc")); // as a plain copy leaves it
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.err;
        Dataset<Row> again;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            again = MnistDataFrames.loadCached(spark, test, "test", DataMode.BINARY, 2, dir);
            assertEquals(500, again.count());
        } finally {
            System.setErr(previous);
        }
        String warning = err.toString().strip();
        assertTrue(warning.startsWith("spark-vae: warning: Parquet cache entry ") && warning.contains("has a part file of "
                + (length / 2) + " bytes, written with " + length) && warning.endsWith("; rebuilding it")
                && warning.lines().count() == 1, warning);
        Dataset<Row> direct = MnistDataFrames.fromImages(spark, test, DataMode.BINARY, 2);
        assertEquals(direct.orderBy(MnistDataFrames.INDEX).collectAsList(), again.orderBy(MnistDataFrames.INDEX).collectAsList());
        assertEquals(java.util.List.of(entry.getFileName().toString()), listNames(tmp.resolve("cache")), "no temporary left");
    }

    private static java.util.List<String> listNames(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void distributedPpcaEqualsTheLocalFitAndEvaluation() {
        org.sparkvae.ppca.PpcaModel distributed = org.sparkvae.train.SparkPpca.fit(
                MnistDataFrames.fromImages(spark, train, DataMode.CONTINUOUS, 3), 5);
        // The same fit from moments computed here, in double precision.
        float[] flat = train.features(DataMode.CONTINUOUS);
        int d = 784, n = train.size();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += flat[i * d + j] / (double) n;
            }
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double da = flat[i * d + a] - mean[a];
                if (da == 0) {
                    continue;
                }
                for (int b = 0; b < d; b++) {
                    cov[a][b] += da * (flat[i * d + b] - mean[b]) / n;
                }
            }
        }
        org.sparkvae.ppca.PpcaModel local = org.sparkvae.ppca.PpcaModel.fit(mean, cov, 5);
        assertEquals(local.noiseVariance(), distributed.noiseVariance(), 1e-9 * local.noiseVariance() + 1e-12);
        double[] ll = org.sparkvae.train.SparkPpca.meanLogLikelihood(sc, distributed,
                MnistDataFrames.fromImages(spark, test, DataMode.CONTINUOUS, 2));
        float[] t = test.features(DataMode.CONTINUOUS);
        double sum = 0;
        for (int i = 0; i < test.size(); i++) {
            sum += local.logLikelihood(java.util.Arrays.copyOfRange(t, i * d, (i + 1) * d));
        }
        assertEquals(500, (long) ll[1]);
        assertEquals(sum / test.size(), ll[0], 1e-6 * Math.abs(ll[0]));
    }

    @Test
    void mixturePriorCnnAndContinuousLikelihoodsTrainAndEvaluateOnSpark() {
        // Every model option goes through the same network, so Spark's averaging and distributed
        // evaluation must handle the prior's and likelihood's own parameters too.
        VaeConfig[] configs = {
                VaeConfig.mnist(4).withPrior(org.sparkvae.model.PriorKind.MOG, 3)
                        .withLikelihood(org.sparkvae.model.LikelihoodKind.GAUSSIAN, null),
                VaeConfig.mnist(4).withPrior(org.sparkvae.model.PriorKind.VAMP, 3)
                        .withLikelihood(org.sparkvae.model.LikelihoodKind.CB, null)
                        .withArch(org.sparkvae.model.Architecture.CNN)};
        for (VaeConfig c : configs) {
            Vae vae = Vae.create(c, 1);
            LabelledImages small = train.head(400);
            INDArray x = Features.of(test.head(200), DataMode.CONTINUOUS);
            double before = new ElboEvaluator(100, false).evaluate(vae, x, 0, false).negElbo();
            INDArray paramsBefore = vae.network().params().dup();
            new SparkTrainer(new SparkTrainingOptions(1, 50, 2, 2, 1)).train(sc, vae,
                    MnistDataFrames.fromImages(spark, small, DataMode.CONTINUOUS, 2), m -> { });
            ElboReport local = new ElboEvaluator(100, false).evaluate(vae, x, 0, false);
            ElboReport distributed = new SparkElboEvaluator(100).evaluate(sc, vae,
                    MnistDataFrames.fromImages(spark, test.head(200), DataMode.CONTINUOUS, 3), 0, false);
            assertTrue(local.negElbo() < before, c.describe() + ": " + before + " -> " + local.negElbo());
            assertEquals(local.negElbo(), distributed.negElbo(), 1e-6 * Math.abs(local.negElbo()), c.describe());
            // The prior's and likelihood's own parameters (last in the flat vector; the VampPrior's
            // pseudo-inputs first) were trained too.
            long tail = vae.network().getLayer(vae.network().getnLayers() - 1).numParams();
            if (c.prior() == org.sparkvae.model.PriorKind.VAMP) {
                INDArray u = vae.network().getLayer(0).getParam(org.sparkvae.model.layers.PseudoInputLayer.PSEUDO_INPUTS);
                assertTrue(!u.equals(paramsBefore.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, u.length()))),
                        "pseudo-inputs updated by averaging");
            }
            if (tail > 0) {
                long n = paramsBefore.length();
                INDArray a = paramsBefore.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n - tail, n));
                INDArray b = vae.network().params().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n - tail, n));
                assertTrue(!a.equals(b), "loss-layer parameters updated by averaging");
            }
            double iwae = new SparkElboEvaluator(100).evaluateIwae(sc, vae,
                    MnistDataFrames.fromImages(spark, test.head(50), DataMode.CONTINUOUS, 2), 0, 5).meanNll();
            assertTrue(Double.isFinite(iwae), c.describe() + " IWAE " + iwae);
        }
    }
}
