package org.sparkvae.cli;

import org.sparkvae.io.HadoopFiles;
import org.sparkvae.sweep.SweepRun;
import org.sparkvae.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.sparkvae.exec.TrainingSettings;

/** {@code sweep}: train and evaluate every configuration of a grid file, resumably, on Spark. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train and evaluate every configuration of a YAML grid (latent_dims x priors x likelihoods x archs x seeds) "
                + "on Spark. Finished configurations are skipped on a rerun; results go to DIR/results.{csv,parquet}, "
                + "DIR/leaderboard.png and DIR/sweep-report.html. Exit 1 if any configuration failed.")
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--grid", required = true, paramLabel = "YAML", description = "Grid file, e.g. conf/sweep-latent-prior.yaml (any Hadoop path).")
    String grid;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep directory (any Hadoop path); reused by reruns.")
    String out;

    @Option(names = "--parallel", defaultValue = "configs", paramLabel = "configs|data", converter = OptionConverters.Parallel.class,
            description = "configs: one configuration per Spark task, many at once; data: one after another, each with "
                    + "parameter averaging (default: ${DEFAULT-VALUE}).")
    SweepRunner.Parallelism parallel;

    @Option(names = "--averaging-frequency", defaultValue = "" + TrainingSettings.DEFAULT_AVERAGING_FREQUENCY, description = "data mode: minibatches between averagings (default: ${DEFAULT-VALUE}).")
    int averagingFrequency;

    @Option(names = "--data-root", defaultValue = "data", paramLabel = "DIR",
            description = "Datasets live in DIR/mnist and DIR/fashion (fetched there when missing); executors must read them "
                    + "(default: ${DEFAULT-VALUE}).")
    String dataRoot;

    @Option(names = "--max-configs", defaultValue = "500", paramLabel = "N",
            description = "Refuse grids of more configurations than this (default: ${DEFAULT-VALUE}).")
    int maxConfigs;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() throws Exception {
        SweepRun.Outcome o = SweepRun.run(new SweepRun.Spec(grid, out, parallel, averagingFrequency, dataRoot, maxConfigs, spark.setup()));
        System.out.printf(Locale.ROOT, "sweep %s: %d configs, %d trained, %d skipped (finished earlier), %d failed, %.1f s wall; "
                        + "results in %s%n", o.out(), o.summary().total(), o.summary().trained(), o.summary().skipped(),
                o.summary().failures().size(), o.summary().seconds(), HadoopFiles.child(o.out(), "results.csv"));
        o.summary().failures().forEach(f -> System.out.println("  " + f));
        return o.summary().failures().isEmpty() ? 0 : 1;
    }
}
