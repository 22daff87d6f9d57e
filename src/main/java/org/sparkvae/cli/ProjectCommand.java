package org.sparkvae.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.analysis.LatentProjection;
import org.sparkvae.analysis.LatentScatterPlot;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.model.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code project}: the aggregate posterior of the test set, PCA'd to 2-D on Spark, as Parquet and a scatter PNG. */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = "Encode the test set on Spark (one z ~ q(z|x) per image, and mu), fit MLlib PCA (k=2) when M > 2, "
                + "and write DIR/latents.parquet (label, z, mu, pc1, pc2), DIR/latent-pca.png and DIR/projection.json.")
final class ProjectCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "model.zip", paramLabel = "FILE", description = "Model, any Hadoop path (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (any Hadoop path; created if missing).")
    String out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the z draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an earlier projection in DIR.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        String parquet = HadoopFiles.child(out, "latents.parquet");
        if (!overwrite && HadoopFiles.exists(parquet)) {
            throw new java.nio.file.FileAlreadyExistsException(parquet + ": already exists; pass --overwrite or choose another --out");
        }
        ModelStore.Loaded loaded = ModelStore.load(model);
        DataMode mode = DataMode.valueOf(loaded.info().dataMode().toUpperCase(Locale.ROOT));
        LabelledImages test = data.resolve().read28x28(MnistFiles.Split.TEST);
        try (SparkSession session = spark.session("spark-vae project")) {
            Summary s = run(session, loaded, test, mode, seed, out, !noProgress, spark);
            System.out.printf(Locale.ROOT, "projected %d test images (M=%d)%s in %.1f s: %s, %s%n", s.n, s.latentDim,
                    s.explained == null ? "" : String.format(Locale.ROOT, ", PC1+PC2 explain %.1f%%", 100 * (s.explained[0] + s.explained[1])),
                    s.seconds, parquet, HadoopFiles.child(out, "latent-pca.png"));
        }
        return 0;
    }

    /** What a projection produced. */
    record Summary(long n, int latentDim, double[] explained, double seconds) { }

    /** Runs the projection on an open session and writes its three outputs under {@code out}. */
    static Summary run(SparkSession session, ModelStore.Loaded loaded, LabelledImages test, DataMode mode, long seed, String out,
                       boolean progress, SparkOptions spark) throws Exception {
        long started = System.nanoTime();
        String parquet = HadoopFiles.child(out, "latents.parquet");
        HadoopFiles.mkdirs(out);
        LatentProjection.Result r;
        List<Row> points;
        try (SparkProgress bar = new SparkProgress(session.sparkContext(), "encode + PCA", progress)) {
            int parts = session.sparkContext().defaultParallelism();
            Dataset<Row> frame = spark.frame(session, test, "test", mode, parts);
            r = LatentProjection.project(session, loaded.vae(), frame, seed);
            // Written under a hidden name, then renamed: a reader never sees a half-written table.
            String tmp = HadoopFiles.child(out, ".latents.parquet.tmp-" + System.nanoTime());
            r.latents().write().parquet(tmp);
            HadoopFiles.deleteRecursively(parquet);
            HadoopFiles.rename(tmp, parquet);
            points = session.read().parquet(parquet).select("pc1", "pc2", "label").collectAsList();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double[] x = points.stream().mapToDouble(p -> p.getDouble(0)).toArray();
        double[] y = points.stream().mapToDouble(p -> p.getDouble(1)).toArray();
        int[] labels = points.stream().mapToInt(p -> p.getInt(2)).toArray();
        Path work = Files.createTempDirectory("spark-vae-project-");
        try {
            Path png = work.resolve("latent-pca.png");
            LatentScatterPlot.writePng(x, y, labels, r.explainedVariance(), loaded.vae().config().describe(), png);
            HadoopFiles.publish(png, HadoopFiles.child(out, "latent-pca.png"));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("n", points.size());
            json.put("latent_dim", loaded.vae().config().latentDim());
            json.put("pca", r.explainedVariance() != null);
            json.put("explained_variance", r.explainedVariance());
            json.put("seed", seed);
            json.put("seconds", seconds);
            json.put("model_config", loaded.info().config());
            json.put("versions", Provenance.versions());
            HadoopFiles.writeString(HadoopFiles.child(out, "projection.json"),
                    ModelStore.json().writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
        return new Summary(points.size(), loaded.vae().config().latentDim(), r.explainedVariance(), seconds);
    }
}
