package org.sparkvae.cli;

import org.sparkvae.analysis.RunReportBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code report}: one self-contained HTML page per run with its configuration, metrics and figures. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write DIR/report.html (self-contained: configuration, metrics, training curves, reconstructions, "
                + "samples and means, a latent interpolation and the PCA scatter of the aggregate posterior), "
                + "the PNGs beside it and DIR/projection/ (the project job's outputs).")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "model.zip", paramLabel = "FILE", description = "Model, any Hadoop path (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (any Hadoop path).")
    String out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an earlier report in DIR.")
    boolean overwrite;

    @Option(names = "--sweep", paramLabel = "DIR",
            description = "Add a sweep section: the leaderboard and results table of the sweep in DIR (its --out).")
    String sweep;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        data.idxOnly();
        System.out.println("wrote " + RunReportBuilder.build(new RunReportBuilder.Spec(model, data::resolve, out, overwrite, seed,
                !noProgress, spark.setup(), sweep)));
        return 0;
    }
}
