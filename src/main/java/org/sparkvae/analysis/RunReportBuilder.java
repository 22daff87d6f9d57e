package org.sparkvae.analysis;

import org.sparkvae.io.OptionException;
import org.sparkvae.plot.TrainingCurvePlot;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataLocator;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.run.ElboReport;
import org.sparkvae.evaluate.SparkElboEvaluator;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.spark.SplitData;
import org.sparkvae.train.MetricsFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.io.WorkDirs;
import org.sparkvae.model.workarounds.Nd4jSeeds;
import org.sparkvae.run.EpochRecord;

/**
 * The {@code report} of a run: one self-contained HTML page with its configuration, metrics and figures, the PNGs
 * beside it and the projection job's outputs under {@code projection/}. Every input is read and checked before
 * anything is written; the figures are published only once the whole page exists, and a failed report leaves
 * nothing it wrote behind.
 */
public final class RunReportBuilder {
    /** Which model, where the report goes, the seed of every draw, Spark's setup, and optionally a sweep's --out. */
    public record Spec(String model, DataLocator data, String out, boolean overwrite, long seed, boolean progress,
                       SparkSetup spark, String sweep) { }

    /** Test images the driver collects for the figures (reconstructions, interpolation); the rest stay on the executors. */
    private static final int FIGURE_IMAGES = 64;

    /** The figures to publish beside the page once it is complete. */
    private final List<Path> figures = new ArrayList<>();

    private RunReportBuilder() { }

    /** Builds and publishes the report; returns the page's path. */
    public static String build(Spec s) throws Exception {
        return new RunReportBuilder().write(s);
    }

    private String write(Spec s) throws Exception {
        String html = HadoopFiles.child(s.out(), "report.html");
        if (!s.overwrite()) {
            HadoopFiles.refuseExisting(html, "pass {overwrite} or choose another {out}");
        }
        // Every input is read and checked before anything is written.
        List<SweepResult> sweepRows = s.sweep() == null ? null : new SweepResults(s.sweep()).rows();
        if (sweepRows != null && sweepRows.isEmpty()) {
            throw new OptionException("{sweep} %s: no finished configurations there", s.sweep());
        }
        ModelStore.Loaded loaded = ModelStore.load(s.model());
        loaded.requireMnistImages(s.model(), "report reads 28x28 IDX images and draws 28x28 figures only");
        // The executors read the test split where they can; the driver gets only the figures' first images.
        SplitData testSplit = SplitData.check(s.data().locate(), MnistFiles.Split.TEST, loaded.dataMode(), s.spark());
        try (SparkSession session = s.spark().session("spark-vae report")) {
            return write(s, html, sweepRows, loaded, testSplit, session);
        }
    }

    private String write(Spec s, String html, List<SweepResult> sweepRows, ModelStore.Loaded loaded, SplitData testSplit,
                         SparkSession session) throws Exception {
        Vae vae = loaded.vae();
        ModelInfo info = loaded.info();
        String describe = vae.config().describe();
        org.apache.spark.api.java.JavaSparkContext sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(session.sparkContext());
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> test = testSplit.frame(session, sc.defaultParallelism());
        List<org.apache.spark.sql.Row> first = testSplit.head(session, FIGURE_IMAGES, 1)
                .orderBy(MnistDataFrames.INDEX).select(MnistDataFrames.LABEL, MnistDataFrames.FEATURES).collectAsList();
        INDArray x = org.nd4j.linalg.factory.Nd4j.create(first.stream().map(r -> MnistDataFrames.features(r, 1)).toArray(float[][]::new));
        int[] labels = first.stream().mapToInt(r -> r.getInt(0)).toArray();

        RunReport report = new RunReport("spark-vae run: " + HadoopFiles.fileName(s.model()));
        report.fact("model", s.model()).fact("configuration", describe).fact("data", info.dataset() + " (" + info.dataMode() + "), "
                        + info.dataDir()).fact("training images MD5", info.trainImagesMd5())
                .fact("epochs, batch size, seed", info.epochs() + ", " + info.batchSize() + ", " + info.seed())
                .fact("created", info.createdAt()).fact("versions", info.versions());

        List<EpochRecord> history = info.epochMetrics();
        EpochRecord last = history.isEmpty() ? null : history.get(history.size() - 1);
        ElboReport test10k = last != null && last.testNegElbo() != null ? null
                : new SparkElboEvaluator(ElboEvaluator.DEFAULT_BATCH).evaluate(sc, vae, test, s.seed(), true);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("test -ELBO", test10k != null ? test10k.negElbo() : last.testNegElbo());
        summary.put("reconstruction", test10k != null ? test10k.recon() : last.testRecon());
        summary.put("KL", test10k != null ? test10k.kl() : last.testKl());
        summary.put("last train -ELBO", last == null ? null : last.trainNegElbo());
        summary.put("seconds/epoch (mean)", history.stream().mapToDouble(EpochRecord::seconds).average().orElse(Double.NaN));
        report.table("Result (nats per test image)", List.copyOf(summary.keySet()), List.of(summary));

        Path work = WorkDirs.create("report");
        boolean outExisted = HadoopFiles.exists(s.out());
        boolean projectionExisted = HadoopFiles.exists(HadoopFiles.child(s.out(), "projection"));
        boolean done = false;
        try {
            Nd4jSeeds.seed(s.seed());
            if (!history.isEmpty()) {
                Path curves = work.resolve("curves.png");
                TrainingCurvePlot.writePng(history, describe, curves);
                report.figure("Training curves", "Per epoch: train -ELBO (running mean over the epoch), test -ELBO and its two terms.",
                        publish(curves, s.out()));
                report.table("Per-epoch metrics", MetricsFiles.COLUMNS, history, EpochRecord::get);
            }
            INDArray first32 = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 32), org.nd4j.linalg.indexing.NDArrayIndex.all());
            report.figure("Reconstructions", "Rows alternate: 16 test images, then their reconstructions E[x|z] with z ~ q(z|x).",
                    publish(work, "reconstructions.png", ImageGrid.pngBytes(Figures.reconstructions(vae, first32, 16), 28, 28, 16, 2), s.out()));
            INDArray z = vae.samplePrior(64);
            report.figure("Samples", "x ~ p(x|z) for 64 draws z ~ p(z).",
                    publish(work, "samples.png", ImageGrid.pngBytes(vae.sampleObservation(z), 28, 28, 8, 2), s.out()));
            report.figure("Decoder means", "E[x|z] for the same 64 z: for continuous likelihoods the mean looks far better than a sample.",
                    publish(work, "samples-mean.png", ImageGrid.pngBytes(vae.decodeMean(z), 28, 28, 8, 2), s.out()));
            int a = 0;
            int b = firstWithOtherLabel(labels, a);
            report.figure("Latent interpolation", String.format(Locale.ROOT, "Test image %d (a %d) to test image %d (a %d): "
                            + "E[x|z] along the line between their posterior means.", a, labels[a], b, labels[b]),
                    publish(work, "interpolation.png", ImageGrid.pngBytes(Figures.interpolation(vae, x.getRow(a), x.getRow(b), 10),
                            28, 28, 12, 3), s.out()));

            String projectionDir = HadoopFiles.child(s.out(), "projection");
            {
                ProjectionJob.Summary p = ProjectionJob.run(session, loaded, testSplit, s.seed(), projectionDir, s.progress());
                Path scatter = HadoopFiles.isLocal(projectionDir)
                        ? HadoopFiles.localPath(HadoopFiles.child(projectionDir, "latent-pca.png"))
                        : HadoopFiles.fetch(HadoopFiles.child(projectionDir, "latent-pca.png"));
                report.figure("Aggregate posterior", String.format(Locale.ROOT, "One z ~ q(z|x) per test image (%d), coloured by class%s.",
                        p.n(), p.explained() == null ? "" : "; first two principal components (Spark MLlib PCA)"), Files.readAllBytes(scatter));
            }
            if (sweepRows != null) {
                List<SweepResult> rows = sweepRows;
                report.figure("Sweep: leaderboard", "Test -ELBO against the latent dimension M, one line per prior (mean over seeds); "
                        + rows.size() + " finished configurations in " + s.sweep() + ".", LeaderboardPlot.pngBytes(rows));
                report.table("Sweep: results (nats per test image)", List.of("latentDim", "prior", "likelihood", "arch", "seed",
                        "epochs", "test_neg_elbo", "test_kl", "test_nll_iwae", "seconds", "mode"), rows.stream().map(SweepResult::row).toList());
            }
            Path page = work.resolve("report.html");
            Files.write(page, report.bytes());
            // The figures are published only now that the whole page exists: a failure leaves no stray PNGs.
            HadoopFiles.mkdirs(s.out());
            for (Path png : figures) {
                HadoopFiles.publish(png, HadoopFiles.child(s.out(), png.getFileName().toString()));
            }
            HadoopFiles.publish(page, html);
            done = true;
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
            if (!done) { // a failed report (a full disk, say) leaves nothing it wrote behind
                if (!outExisted) {
                    HadoopFiles.deleteRecursively(s.out());
                } else {
                    for (Path png : figures) {
                        HadoopFiles.delete(HadoopFiles.child(s.out(), png.getFileName().toString()));
                    }
                    if (!projectionExisted) {
                        HadoopFiles.deleteRecursively(HadoopFiles.child(s.out(), "projection"));
                    }
                }
            }
        }
        return html;
    }

    private static int firstWithOtherLabel(int[] labels, int a) {
        for (int i = a + 1; i < labels.length; i++) {
            if (labels[i] != labels[a]) {
                return i;
            }
        }
        return Math.min(a + 1, labels.length - 1);
    }

    private byte[] publish(Path work, String name, byte[] png, String outDir) throws java.io.IOException {
        Path file = work.resolve(name);
        Files.write(file, png);
        return publish(file, outDir);
    }

    /** Remembers the file for the report directory; returns its bytes for embedding. */
    private byte[] publish(Path file, String outDir) throws java.io.IOException {
        figures.add(file);
        return Files.readAllBytes(file);
    }
}
