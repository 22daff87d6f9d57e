package org.sparkvae.sweep;

import org.sparkvae.io.OptionException;
import org.sparkvae.analysis.SweepResults;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.KnownDataset;
import org.sparkvae.data.DatasetFetcher;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.spark.SparkSetup;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkvae.io.RunLock;
import org.sparkvae.model.SettingException;

/**
 * A sweep as {@code sweep} runs it: reads and sizes the grid, refuses grids over {@code maxConfigs}, finds (and
 * fetches when local and empty) each dataset under {@code dataRoot}, holds the sweep directory's lock and runs
 * every configuration not finished earlier through {@link SweepRunner}.
 */
public final class SweepRun {
    /** The grid file, the sweep directory, how to parallelise, data mode's averaging frequency, the data root, the size limit. */
    public record Spec(String grid, String out, SweepRunner.Parallelism parallelism, int averagingFrequency, String dataRoot,
                       int maxConfigs, SparkSetup spark) { }

    /** The sweep directory as used (a local one made absolute: executors run elsewhere) and what the sweep did. */
    public record Outcome(String out, SweepRunner.Summary summary) { }

    private SweepRun() { }

    public static Outcome run(Spec s) throws Exception {
        if (s.averagingFrequency() <= 0) {
            throw new SettingException("averagingFrequency", "{averagingFrequency} must be positive, got " + s.averagingFrequency());
        }
        // Executors run in their own working directories (a Worker's work/app-*/N): a relative local
        // path would land there, so local paths are made absolute on the driver.
        String out = HadoopFiles.isLocal(s.out()) ? HadoopFiles.localPath(s.out()).toAbsolutePath().toString() : s.out();
        List<SweepConfig> configs;
        Path gridFile = HadoopFiles.isLocal(s.grid()) ? HadoopFiles.localPath(s.grid()) : HadoopFiles.fetch(s.grid());
        if (!Files.isRegularFile(gridFile)) {
            throw new java.nio.file.NoSuchFileException(s.grid() + ": grid file does not exist");
        }
        try (InputStream in = Files.newInputStream(gridFile)) {
            configs = SweepGrid.parse(in, s.grid());
        }
        SweepGrid.Estimate size = SweepGrid.estimate(configs);
        System.err.printf(Locale.ROOT, "sweep grid %s: %d configurations, about %.1f MB of models and results%n",
                s.grid(), size.configs(), size.bytes() / 1e6);
        if (s.maxConfigs() <= 0) {
            throw new SettingException("maxConfigs", "{maxConfigs} must be positive, got " + s.maxConfigs());
        }
        if (size.configs() > s.maxConfigs()) {
            throw new OptionException("%s: the grid has %d configurations (about %d GB), more than {maxConfigs} %d; "
                    + "pass {maxConfigs} %d to run it", s.grid(), size.configs(), Math.round(size.bytes() / 1e9), s.maxConfigs(),
                    size.configs());
        }
        Map<String, String> dirs = new HashMap<>();
        for (SweepConfig c : configs) {
            dirs.computeIfAbsent(c.dataset, d -> dataDir(s.dataRoot(), d));
        }
        SweepResults.requireSweepDirectory(out);
        try (RunLock lock = RunLock.acquire(out, "another sweep");
             SparkSession session = s.spark().session("spark-vae sweep")) {
            return new Outcome(out, new SweepRunner(s.parallelism(), s.averagingFrequency()).run(session, configs, dirs::get, out,
                    System.err::println));
        }
    }

    /** The dataset's directory under --data-root, fetched on the driver when local and empty. */
    private static String dataDir(String dataRoot, String dataset) {
        String dir = HadoopFiles.child(dataRoot, dataset);
        try {
            if (HadoopFiles.isLocal(dir)) {
                DatasetFetcher.fetchIfMissing(HadoopFiles.localPath(dir), KnownDataset.valueOf(dataset.toUpperCase(Locale.ROOT)));
            }
            return HadoopFiles.isLocal(dir) ? HadoopFiles.localPath(dir).toAbsolutePath().toString() : dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
