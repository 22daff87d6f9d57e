package org.sparkvae.sweep;

import org.sparkvae.analysis.SweepResults;
import org.sparkvae.analysis.SweepResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.analysis.LeaderboardPlot;
import org.sparkvae.analysis.RunReport;
import org.sparkvae.io.HadoopFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.sparkvae.io.WorkDirs;

/**
 * Runs the configurations of a sweep that have not finished yet, in one of two modes:
 * <ul>
 *   <li>{@code configs}: one configuration per Spark task, trained on one executor core — many small
 *   models at once across the cluster (the best use of it for a model this small);</li>
 *   <li>{@code data}: configurations one after another, each trained with parameter averaging over
 *   all executors.</li>
 * </ul>
 * Each finished configuration is recorded by itself as it finishes ({@link SweepResults}); then the
 * results table (CSV + Parquet), the leaderboard PNG and the sweep report are rebuilt.
 */
public final class SweepRunner {
    /** What a run did. */
    public record Summary(int total, int skipped, int trained, List<String> failures, double seconds) { }

    public enum Parallelism { CONFIGS, DATA }

    private final Parallelism parallelism;
    private final int averagingFrequency;

    public SweepRunner(Parallelism parallelism, int averagingFrequency) {
        this.parallelism = parallelism;
        this.averagingFrequency = averagingFrequency;
    }

    /**
     * @param dataDirs where each dataset's IDX files are (readable by the executors too)
     */
    public Summary run(SparkSession spark, List<SweepConfig> grid, Function<String, String> dataDirs, String outDir,
                       java.util.function.Consumer<String> log) throws Exception {
        long started = System.nanoTime();
        SweepResults results = new SweepResults(outDir);
        for (String sub : List.of("results", "failures", "attempts", "models")) {
            HadoopFiles.mkdirs(HadoopFiles.child(outDir, sub));
        }
        Set<String> done = results.finished();
        List<SweepConfig> todo = new ArrayList<>();
        for (SweepConfig c : grid) {
            if (!done.contains(c.key())) {
                todo.add(c);
            }
        }
        int skipped = grid.size() - todo.size();
        log.accept("sweep: " + grid.size() + " configs; skipped " + skipped + " finished configs; training " + todo.size()
                + " in " + parallelism.name().toLowerCase(java.util.Locale.ROOT) + " mode");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> statuses = new ArrayList<>();
        if (!todo.isEmpty() && parallelism == Parallelism.CONFIGS) {
            List<String[]> jobs = new ArrayList<>();
            for (SweepConfig c : todo) {
                jobs.add(new String[] {SweepGrid.JSON.writeValueAsString(c), dataDirs.apply(c.dataset)});
            }
            // The CSV table follows the sweep as it goes: rebuilt (atomically) whenever a task ends.
            org.apache.spark.scheduler.SparkListener tableUpdater = new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd taskEnd) {
                    updateCsv(results);
                }
            };
            spark.sparkContext().addSparkListener(tableUpdater);
            try {
                statuses.addAll(sc.parallelize(jobs, jobs.size()).map(j -> {
                    SweepConfig c = SweepGrid.JSON.readValue(j[0], SweepConfig.class);
                    return ConfigRun.runSafely(c, j[1], outDir, "configs", ConfigRun.oneJvm());
                }).collect());
            } finally {
                spark.sparkContext().removeSparkListener(tableUpdater);
            }
        } else {
            for (SweepConfig c : todo) {
                log.accept("training " + c.describe() + " (" + c.key() + ") with parameter averaging");
                String status = ConfigRun.runSafely(c, dataDirs.apply(c.dataset), outDir, "data",
                        ConfigRun.averaged(spark, averagingFrequency));
                log.accept(status);
                statuses.add(status);
                updateCsv(results);
            }
        }
        List<String> failures = statuses.stream().filter(s -> s.startsWith("failed")).toList();
        writeTableAndReport(spark, results);
        return new Summary(grid.size(), skipped, todo.size() - failures.size(), failures, (System.nanoTime() - started) / 1e9);
    }

    /** Rewrites results.csv (atomically) with every configuration finished so far; a failure here only logs. */
    static synchronized void updateCsv(SweepResults results) {
        try {
            HadoopFiles.writeString(HadoopFiles.child(results.dir(), "results.csv"), SweepResults.csv(results.rows()));
        } catch (IOException | RuntimeException e) {
            System.err.println("sweep: could not update results.csv yet: " + e.getMessage());
        }
    }

    /** results.csv, results.parquet, leaderboard.png and sweep-report.html, each replaced atomically. */
    static void writeTableAndReport(SparkSession spark, SweepResults results) throws IOException {
        List<SweepResult> rows = results.rows();
        String dir = results.dir();
        HadoopFiles.writeString(HadoopFiles.child(dir, "results.csv"), SweepResults.csv(rows));
        if (rows.isEmpty()) {
            return;
        }
        Dataset<Row> table = spark.read().schema(SweepResult.SCHEMA)
                .json(spark.createDataset(rows.stream().map(r -> {
                    try {
                        return SweepGrid.JSON.writeValueAsString(r);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList(), org.apache.spark.sql.Encoders.STRING()));
        String parquet = HadoopFiles.child(dir, "results.parquet");
        String tmp = HadoopFiles.child(dir, ".results.parquet.tmp-" + System.nanoTime());
        table.coalesce(1).write().parquet(tmp);
        HadoopFiles.deleteRecursively(parquet);
        HadoopFiles.rename(tmp, parquet);

        Path work = WorkDirs.create("sweep");
        try {
            byte[] png = LeaderboardPlot.pngBytes(rows);
            Path local = work.resolve("leaderboard.png");
            Files.write(local, png);
            HadoopFiles.publish(local, HadoopFiles.child(dir, "leaderboard.png"));
            RunReport report = new RunReport("spark-vae sweep: " + HadoopFiles.fileName(dir))
                    .fact("results", rows.size() + " finished configurations in " + dir)
                    .figure("Leaderboard", "Test -ELBO (one z per test image, 10,000 images) against M; mean over seeds.", png)
                    .table("Results (nats per test image)", List.of("latentDim", "prior", "likelihood", "arch", "seed", "epochs",
                            "test_neg_elbo", "test_recon", "test_kl", "test_nll_iwae", "seconds", "mode", "key"),
                            rows.stream().map(SweepResult::row).toList());
            Path page = work.resolve("sweep-report.html");
            Files.write(page, report.bytes());
            HadoopFiles.publish(page, HadoopFiles.child(dir, "sweep-report.html"));
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
    }
}
