package org.sparkvae.sweep;

import org.sparkvae.analysis.SweepResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.RealData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweeps through the launcher on an embedded local[2] master, on real MNIST (a 3,000-image training
 * slice, one epoch, to stay short): a driver killed mid-sweep and rerun ends with every configuration
 * trained exactly once; a rerun trains nothing; data mode gives the same table; a configuration that
 * fails makes the sweep exit 1 with a summary.
 */
class SweepIT {
    private static final String GRID = "latent_dims: [2, 4]\npriors: [gaussian, mog]\nepochs: 1\ntrain_images: 3000\n"
            + "iwae_k: 10\niwae_images: 200\n";

    @TempDir
    Path dir;

    private Process start(Path log, String... args) throws IOException {
        List<String> c = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString(), "sweep"));
        c.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        return pb.start();
    }

    private String finish(Process p, Path log, int expectedExit) throws Exception {
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out");
        String out = Files.readString(log);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    private Path dataRoot() throws IOException {
        Path root = dir.resolve("data");
        Files.createDirectories(root);
        Path link = root.resolve("mnist");
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, RealData.mnist());
        }
        return root;
    }

    @Test
    void killedDriverRerunTrainsEveryConfigExactlyOnce() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), GRID);
        Path out = dir.resolve("sweep");
        String[] args = {"--grid", grid.toString(), "--out", out.toString(), "--master", "local[2]", "--data-root", dataRoot().toString()};
        Path results = out.resolve("results");

        Process first = start(dir.resolve("first.log"), args);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (count(results) < 1 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // Trust issue row 6: a second driver on the same directory is refused at once while the first runs.
        assertTrue(first.isAlive());
        String refused = finish(start(dir.resolve("concurrent.log"), args), dir.resolve("concurrent.log"), 1);
        assertTrue(refused.contains("another sweep is already writing here"), refused);
        first.toHandle().destroyForcibly(); // the launcher execs java: this is the driver itself
        first.waitFor(1, TimeUnit.MINUTES);
        Set<String> finishedBefore = names(results);
        assertTrue(!finishedBefore.isEmpty() && finishedBefore.size() < 4,
                "killed mid-sweep with " + finishedBefore.size() + " of 4 finished: " + Files.readString(dir.resolve("first.log")));

        String second = finish(start(dir.resolve("second.log"), args), dir.resolve("second.log"), 0);
        assertTrue(second.contains("skipped " + finishedBefore.size() + " finished configs"), second);
        assertTrue(second.contains("4 configs, " + (4 - finishedBefore.size()) + " trained"), second);
        SweepResults r = new SweepResults(out.toString());
        assertEquals(4, r.finished().size());
        for (String key : finishedBefore) {
            assertEquals(1, r.attempts(key), "finished before the kill, not trained again: " + key);
        }
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, csv.size(), "header + one row per configuration");
        assertEquals(4, csv.stream().skip(1).map(l -> l.split(",")[0]).distinct().count(), "each configuration exactly once");
        assertTrue(Files.size(out.resolve("leaderboard.png")) > 1000);
        assertTrue(Files.readString(out.resolve("sweep-report.html")).contains("data:image/png;base64,"));
        assertTrue(Files.isDirectory(out.resolve("results.parquet")));
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            double negElbo = Double.parseDouble(f[SweepResults.COLUMNS.indexOf("test_neg_elbo")]);
            double iwae = Double.parseDouble(f[SweepResults.COLUMNS.indexOf("test_nll_iwae")]);
            assertTrue(negElbo > 100 && negElbo < 300 && iwae < negElbo, line);
            assertTrue(Files.exists(Path.of(f[SweepResults.COLUMNS.indexOf("model")])), "model saved: " + line);
        }

        // The run report's sweep section.
        Path reportLog = dir.resolve("report.log");
        ProcessBuilder rb = new ProcessBuilder(Path.of("submit", "spark-vae").toAbsolutePath().toString(), "report",
                "--model", Path.of(csv.get(1).split(",")[SweepResults.COLUMNS.indexOf("model")]).toString(),
                "--data", RealData.mnist().toString(), "--out", dir.resolve("report").toString(), "--master", "local[2]",
                "--sweep", out.toString(), "--no-progress").redirectErrorStream(true).redirectOutput(reportLog.toFile());
        rb.environment().put("SPARK_VAE_NO_BUILD", "1");
        finish(rb.start(), reportLog, 0);
        String page = Files.readString(dir.resolve("report").resolve("report.html"));
        assertTrue(page.contains("Sweep: leaderboard") && page.contains("Sweep: results"), "sweep section in the run report");

        String third = finish(start(dir.resolve("third.log"), args), dir.resolve("third.log"), 0);
        assertTrue(third.contains("skipped 4 finished configs; training 0") && third.contains("0 trained, 4 skipped"), third);

        // The same grid in data mode (parameter averaging, one config after another): same table shape.
        Path dataOut = dir.resolve("sweep-data");
        String data = finish(start(dir.resolve("data.log"), "--grid", grid.toString(), "--out", dataOut.toString(),
                "--master", "local[2]", "--parallel", "data", "--data-root", dataRoot().toString()), dir.resolve("data.log"), 0);
        assertTrue(data.contains("4 configs, 4 trained"), data);
        assertEquals(4, new SweepResults(dataOut.toString()).finished().size());
        System.out.println("SweepIT wall times: configs " + wall(second) + " s (rerun of " + (4 - finishedBefore.size())
                + " configs), data " + wall(data) + " s (4 configs)");
    }

    /** submit/sweep.sh DIR and DIR/ are one sweep: the second start exits 0 at once and says so in DIR.log. */
    @Test
    void sweepScriptTakesOneLockPerDirectory() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), "latent_dims: [2]\nepochs: 1\ntrain_images: 500\niwae_k: 0\n");
        Path out = dir.resolve("nightly");
        String script = Path.of("submit", "sweep.sh").toAbsolutePath().toString();
        ProcessBuilder pb = new ProcessBuilder(script, grid.toString(), out.toString(), "--master", "local[1]",
                "--data-root", dataRoot().toString()).redirectErrorStream(true).redirectOutput(dir.resolve("a.out").toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        Process first = pb.start();
        Path log = dir.resolve("nightly.log");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!(Files.exists(log) && Files.readString(log).contains("starting")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        ProcessBuilder again = new ProcessBuilder(script, grid.toString(), out + "/", "--master", "local[1]",
                "--data-root", dataRoot().toString()).redirectErrorStream(true).redirectOutput(dir.resolve("b.out").toFile());
        again.environment().put("SPARK_VAE_NO_BUILD", "1");
        Process second = again.start();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue());
        assertTrue(first.isAlive(), "the first sweep was still running when the second was turned away");
        assertTrue(Files.readString(log).contains("is still running; not starting another"), Files.readString(log));
        assertTrue(first.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, first.exitValue(), Files.readString(log));
    }

    @Test
    void aFailingConfigurationMakesTheSweepExitOne() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), "latent_dims: [2]\nepochs: 1\ntrain_images: 500\niwae_k: 0\n");
        Path root = dir.resolve("broken");
        Path mnist = Files.createDirectories(root.resolve("mnist"));
        for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.createSymbolicLink(mnist.resolve(f), RealData.mnist().resolve(f));
        }
        byte[] images = Files.readAllBytes(RealData.mnist().resolve("train-images-idx3-ubyte"));
        Files.write(mnist.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(images, images.length / 2)); // truncated
        Path out = dir.resolve("sweep-broken");
        String log = finish(start(dir.resolve("broken.log"), "--grid", grid.toString(), "--out", out.toString(),
                "--master", "local[2]", "--data-root", root.toString()), dir.resolve("broken.log"), 1);
        assertTrue(log.contains("1 configs, 0 trained, 0 skipped (finished earlier), 1 failed"), log);
        assertTrue(log.contains("failed ") && log.contains("train-images-idx3-ubyte"), log);
        assertFalse(Files.exists(out.resolve("results").resolve(new SweepResults(out.toString()).finished().stream().findFirst()
                .orElse("none") + ".json")));
        assertEquals(1, count(out.resolve("failures")));
    }

    private static double wall(String log) {
        Matcher m = Pattern.compile("failed, ([0-9.]+) s wall").matcher(log);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static int count(Path d) throws IOException {
        return names(d).size();
    }

    private static Set<String> names(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return Set.of();
        }
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - 5)).collect(java.util.stream.Collectors.toSet());
        }
    }
}
