package org.sparkvae.cli;

import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.Dataset;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.sweep.SweepConfig;
import org.sparkvae.sweep.SweepGrid;
import org.sparkvae.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

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

    @Option(names = "--parallel", defaultValue = "configs", paramLabel = "configs|data",
            description = "configs: one configuration per Spark task, many at once; data: one after another, each with "
                    + "parameter averaging (default: ${DEFAULT-VALUE}).")
    String parallel;

    @Option(names = "--averaging-frequency", defaultValue = "50", description = "data mode: minibatches between averagings (default: ${DEFAULT-VALUE}).")
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
        SweepRunner.Parallelism mode = ModelOptions.parse(SweepRunner.Parallelism.class, "--parallel", parallel);
        if (averagingFrequency <= 0) {
            throw new IllegalArgumentException("--averaging-frequency must be positive, got " + averagingFrequency);
        }
        // Executors run in their own working directories (a Worker's work/app-*/N): a relative local
        // path would land there, so local paths are made absolute on the driver.
        if (HadoopFiles.isLocal(out)) {
            out = HadoopFiles.localPath(out).toAbsolutePath().toString();
        }
        List<SweepConfig> configs;
        Path gridFile = HadoopFiles.isLocal(grid) ? HadoopFiles.localPath(grid) : HadoopFiles.fetch(grid);
        if (!Files.isRegularFile(gridFile)) {
            throw new java.nio.file.NoSuchFileException(grid + ": grid file does not exist");
        }
        try (InputStream in = Files.newInputStream(gridFile)) {
            configs = SweepGrid.parse(in, grid);
        }
        SweepGrid.Estimate size = SweepGrid.estimate(configs);
        System.err.printf(Locale.ROOT, "sweep grid %s: %d configurations, about %.1f MB of models and results%n",
                grid, size.configs(), size.bytes() / 1e6);
        if (maxConfigs <= 0) {
            throw new IllegalArgumentException("--max-configs must be positive, got " + maxConfigs);
        }
        if (size.configs() > maxConfigs) {
            throw new IllegalArgumentException(grid + ": the grid has " + size.configs() + " configurations (about "
                    + Math.round(size.bytes() / 1e9) + " GB), more than --max-configs " + maxConfigs
                    + "; pass --max-configs " + size.configs() + " to run it");
        }
        Map<String, String> dirs = new HashMap<>();
        for (SweepConfig c : configs) {
            dirs.computeIfAbsent(c.dataset, this::dataDir);
        }
        org.sparkvae.sweep.SweepResults.requireSweepDirectory(out);
        try (org.sparkvae.io.RunLock lock = org.sparkvae.io.RunLock.acquire(out, "another sweep");
             SparkSession session = spark.session("spark-vae sweep")) {
            SweepRunner.Summary s = new SweepRunner(mode, averagingFrequency).run(session, configs, dirs::get, out, System.err::println);
            System.out.printf(Locale.ROOT, "sweep %s: %d configs, %d trained, %d skipped (finished earlier), %d failed, %.1f s wall; "
                            + "results in %s%n", out, s.total(), s.trained(), s.skipped(), s.failures().size(), s.seconds(),
                    HadoopFiles.child(out, "results.csv"));
            s.failures().forEach(f -> System.out.println("  " + f));
            return s.failures().isEmpty() ? 0 : 1;
        }
    }

    /** The dataset's directory under --data-root, fetched on the driver when local and empty. */
    private String dataDir(String dataset) {
        String dir = HadoopFiles.child(dataRoot, dataset);
        try {
            if (HadoopFiles.isLocal(dir)) {
                DataOptions.fetchIfMissing(HadoopFiles.localPath(dir), ModelOptions.parse(Dataset.class, "dataset", dataset));
            }
            return HadoopFiles.isLocal(dir) ? HadoopFiles.localPath(dir).toAbsolutePath().toString() : dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
