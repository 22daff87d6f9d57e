package org.sparkvae.analysis;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.model.store.ModelStore;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkvae.data.DataLocator;
import org.sparkvae.data.FrameSource;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.io.WorkDirs;
import org.sparkvae.spark.FrameData;
import org.sparkvae.spark.SparkProgress;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.spark.SplitData;

/**
 * The {@code project} job after Spark is up: {@link LatentProjection} on the test frame, then
 * {@code out/latents.parquet} (written under a hidden name and renamed), {@code out/latent-pca.png}
 * and {@code out/projection.json} with the explained variance, timing and provenance.
 */
public final class ProjectionJob {
    /** The label of a row from a source without labels. */
    public static final int UNLABELLED = -1;

    private ProjectionJob() { }

    /** What a projection produced. */
    public record Summary(long n, int latentDim, double[] explained, double seconds) { }

    /**
     * What {@code project} does: {@code model} encoded over the test split of {@code data} (read by the executors
     * where they can) — or, with {@code frames}, over rows from a Spark data source (its {@code test} rows, else its
     * {@code train} rows; unlabelled rows are drawn in one colour) — {@code out} refused when it holds a projection
     * unless {@code overwrite}.
     */
    public record Spec(String model, DataLocator data, long seed, String out, boolean overwrite,
                       boolean progress, SparkSetup spark, FrameSource frames) {
        /** The IDX test split. */
        public Spec(String model, DataLocator data, long seed, String out, boolean overwrite,
                    boolean progress, SparkSetup spark) {
            this(model, data, seed, out, overwrite, progress, spark, null);
        }
    }

    /** The whole job: checks, loads the model, opens Spark, projects, writes. */
    public static Summary run(Spec s) throws Exception {
        if (!s.overwrite()) {
            HadoopFiles.refuseExisting(HadoopFiles.child(s.out(), "latents.parquet"), "pass {overwrite} or choose another {out}");
        }
        ModelStore.Loaded loaded = ModelStore.load(s.model());
        if (s.frames() != null) {
            FrameSource source = s.frames();
            source.requireSpark(s.spark() != null);
            try (SparkSession session = s.spark().session("spark-vae project")) {
                FrameData rows = FrameData.forModel(session, source, loaded.dataMode(),
                        loaded.info().imageShape(), loaded.info().config().inputSize());
                // Rows without labels get label -1: one colour in the plot.
                Dataset<Row> frame = rows.labelled() ? rows.frame()
                        : rows.frame().withColumn(MnistDataFrames.LABEL, org.apache.spark.sql.functions.lit(UNLABELLED));
                try (SparkProgress bar = new SparkProgress(session.sparkContext(), "encode + PCA",
                        s.progress())) {
                    return run(session, loaded, frame, s.seed(), s.out());
                }
            }
        }
        loaded.requireMnistImages(s.model(), "project it on rows of that size with {dataFormat}");
        SplitData test = SplitData.check(s.data().locate(),
                MnistFiles.Split.TEST, loaded.dataMode(), s.spark());
        try (SparkSession session = s.spark().session("spark-vae project")) {
            return run(session, loaded, test, s.seed(), s.out(), s.progress());
        }
    }

    /** Runs the job on the test split, with a progress bar, on an open session. */
    public static Summary run(SparkSession session, ModelStore.Loaded loaded, SplitData test,
                              long seed, String out, boolean progress) throws Exception {
        try (SparkProgress bar = new SparkProgress(session.sparkContext(), "encode + PCA", progress)) {
            return run(session, loaded, test.frame(session, session.sparkContext().defaultParallelism()), seed, out);
        }
    }

    public static Summary run(SparkSession session, ModelStore.Loaded loaded, Dataset<Row> test, long seed, String out)
            throws Exception {
        long started = System.nanoTime();
        String parquet = HadoopFiles.child(out, "latents.parquet");
        HadoopFiles.mkdirs(out);
        LatentProjection.Result r = LatentProjection.project(session, loaded.vae(), test, seed);
        // Written under a hidden name, then renamed: a reader never sees a half-written table.
        String tmp = HadoopFiles.child(out, ".latents.parquet.tmp-" + System.nanoTime());
        r.latents().write().parquet(tmp);
        HadoopFiles.deleteRecursively(parquet);
        HadoopFiles.rename(tmp, parquet);
        List<Row> points = session.read().parquet(parquet).select("pc1", "pc2", "label").collectAsList();
        double[] x = points.stream().mapToDouble(p -> p.getDouble(0)).toArray();
        double[] y = points.stream().mapToDouble(p -> p.getDouble(1)).toArray();
        int[] labels = points.stream().mapToInt(p -> p.getInt(2)).toArray();
        Path work = WorkDirs.create("project");
        try {
            Path png = work.resolve("latent-pca.png");
            LatentScatterPlot.writePng(x, y, labels, r.explainedVariance(), loaded.vae().config().describe(), png);
            HadoopFiles.publish(png, HadoopFiles.child(out, "latent-pca.png"));
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("n", points.size());
            json.put("latent_dim", loaded.vae().config().latentDim());
            json.put("pca", r.explainedVariance() != null);
            json.put("explained_variance", r.explainedVariance());
            json.put("seed", seed);
            json.put("seconds", seconds);
            json.put("model_config", loaded.info().config());
            json.put("versions", loaded.info().versions());
            HadoopFiles.writeString(HadoopFiles.child(out, "projection.json"),
                    ModelStore.json().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            return new Summary(points.size(), loaded.vae().config().latentDim(), r.explainedVariance(), seconds);
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
    }
}
