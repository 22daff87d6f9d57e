package org.sparkvae.cli;

import org.sparkvae.analysis.ProjectionJob;
import org.sparkvae.io.HadoopFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
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
        ProjectionJob.Summary s = ProjectionJob.run(new ProjectionJob.Spec(model, data::resolve, seed, out, overwrite, !noProgress,
                spark.setup(), data.frames()));
        System.out.printf(Locale.ROOT, "projected %d test images (M=%d)%s in %.1f s: %s, %s%n", s.n(), s.latentDim(),
                s.explained() == null ? "" : String.format(Locale.ROOT, ", PC1+PC2 explain %.1f%%", 100 * (s.explained()[0] + s.explained()[1])),
                s.seconds(), HadoopFiles.child(out, "latents.parquet"), HadoopFiles.child(out, "latent-pca.png"));
        return 0;
    }
}
