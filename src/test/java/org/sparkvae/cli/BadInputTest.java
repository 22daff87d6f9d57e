package org.sparkvae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.IdxReader;
import org.sparkvae.data.IdxTestFiles;
import org.sparkvae.data.MnistFiles;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input: one clear error line, a non-zero exit, and nothing written or replaced. */
class BadInputTest {
    @TempDir
    Path dir;

    private record Run(int status, String err) { }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        int status = SparkVaeCli.execute(new PrintWriter(err, true), args);
        return new Run(status, err.toString());
    }

    private static void assertOneErrorLine(Run r, int status, String... fragments) {
        assertEquals(status, r.status(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "exactly one line: " + r.err());
        assertTrue(lines[0].contains("error:"), lines[0]);
        for (String f : fragments) {
            assertTrue(lines[0].contains(f), "'" + f + "' in: " + lines[0]);
        }
    }

    private Path validData() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        IdxTestFiles.writeDataset(data, 20, 10);
        return data;
    }

    @Test
    void latentDimZero() throws Exception {
        Run r = run("train", "--latent-dim", "0", "--data", validData().toString(), "--model", dir.resolve("m.zip").toString());
        assertOneErrorLine(r, 1, "--latent-dim", "got 0");
        assertFalse(Files.exists(dir.resolve("m.zip")));
    }

    @Test
    void negativeEpochs() throws Exception {
        assertOneErrorLine(run("train", "--epochs", "-1", "--data", validData().toString(),
                "--model", dir.resolve("m.zip").toString()), 1, "--epochs", "-1");
    }

    @Test
    void notANumber() {
        assertOneErrorLine(run("train", "--batch-size", "many"), 2, "--batch-size", "many");
    }

    @Test
    void modelInMissingDirectoryIsCreatedOnlyOnceTheInputsAreGood() throws Exception {
        // Trust issue row 12: the model's directory is created (as --out's is), but not for a run that fails on its input.
        assertOneErrorLine(run("train", "--epochs", "1", "--data", dir.resolve("absent").toString(),
                "--model", dir.resolve("no/such/dir/m.zip").toString()), 1, "does not exist");
        assertFalse(Files.exists(dir.resolve("no")));
        Run ok = run("train", "--epochs", "1", "--single-jvm", "--no-test-eval", "--no-progress", "--data", validData().toString(),
                "--model", dir.resolve("no/such/dir/m.zip").toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(Files.exists(dir.resolve("no/such/dir/m.zip")));
    }

    @Test
    void missingDataDirectory() {
        assertOneErrorLine(run("train", "--data", dir.resolve("absent").toString(),
                "--model", dir.resolve("m.zip").toString()), 1, "absent", "does not exist");
    }

    @Test
    void corruptIdxFileIsNamed() throws Exception {
        Path data = validData();
        byte[] full = Files.readAllBytes(data.resolve(MnistFiles.TRAIN_IMAGES));
        Files.write(data.resolve(MnistFiles.TRAIN_IMAGES), java.util.Arrays.copyOf(full, 1000));
        Run r = run("train", "--data", data.toString(), "--model", dir.resolve("m.zip").toString());
        assertOneErrorLine(r, 1, MnistFiles.TRAIN_IMAGES, "truncated");
        assertFalse(Files.exists(dir.resolve("m.zip")), "nothing written");
    }

    @Test
    void wrongMagicInTestLabels() throws Exception {
        Path data = validData();
        IdxTestFiles.write(data, MnistFiles.TEST_LABELS, IdxTestFiles.images(IdxReader.IMAGES_MAGIC, 1, 1, 1, 1));
        Path model = dir.resolve("m.zip");
        // train evaluates the test set after every epoch, so it refuses the broken file before training...
        assertOneErrorLine(run("train", "--epochs", "1", "--batch-size", "10", "--data", data.toString(),
                "--model", model.toString(), "--no-progress"), 1, MnistFiles.TEST_LABELS, "wrong magic");
        assertFalse(Files.exists(model));
        // ...and without that, evaluate is the one that meets it.
        assertEquals(0, run("train", "--epochs", "1", "--batch-size", "10", "--data", data.toString(),
                "--model", model.toString(), "--no-progress", "--no-test-eval").status());
        Run r = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out", dir.resolve("e.json").toString());
        assertOneErrorLine(r, 1, MnistFiles.TEST_LABELS, "wrong magic");
        assertFalse(Files.exists(dir.resolve("e.json")));
    }

    @Test
    void existingModelIsNotOverwritten() throws Exception {
        Path model = dir.resolve("m.zip");
        Files.writeString(model, "precious");
        Run r = run("train", "--epochs", "1", "--data", validData().toString(), "--model", model.toString());
        assertOneErrorLine(r, 1, "already exists", "--overwrite");
        assertEquals("precious", Files.readString(model));
    }

    @Test
    void missingModelForEvaluateAndSample() {
        assertOneErrorLine(run("evaluate", "--model", dir.resolve("none.zip").toString()), 1, "none.zip", "does not exist");
        assertOneErrorLine(run("sample", "--model", dir.resolve("none.zip").toString(),
                "--samples", dir.resolve("s.png").toString()), 1, "none.zip");
    }

    @Test
    void unknownDatasetAndSubcommand() {
        assertOneErrorLine(run("fetch-data", "--dataset", "cifar"), 2, "cifar");
        assertOneErrorLine(run("frobnicate"), 2, "frobnicate");
    }

    @Test
    void likelihoodAndDataModeMismatchIsRefused() throws Exception {
        String data = validData().toString();
        String model = dir.resolve("m.zip").toString();
        assertOneErrorLine(run("train", "--likelihood", "bernoulli", "--data-mode", "continuous", "--data", data, "--model", model),
                1, "--likelihood bernoulli", "continuous");
        assertOneErrorLine(run("train", "--likelihood", "gaussian", "--data-mode", "binary", "--data", data, "--model", model),
                1, "--likelihood gaussian", "binary");
        assertOneErrorLine(run("train", "--likelihood", "cb", "--data-mode", "binary", "--data", data, "--model", model),
                1, "--likelihood cb");
        assertFalse(Files.exists(dir.resolve("m.zip")));
    }

    @Test
    void badModelOptionsAreRefused() throws Exception {
        String data = validData().toString();
        String model = dir.resolve("m.zip").toString();
        assertOneErrorLine(run("train", "--prior", "laplace", "--data", data, "--model", model), 1, "--prior", "gaussian|mog|vamp", "laplace");
        assertOneErrorLine(run("train", "--likelihood", "poisson", "--data", data, "--model", model), 1, "--likelihood", "poisson");
        assertOneErrorLine(run("train", "--arch", "rnn", "--data", data, "--model", model), 1, "--arch", "rnn");
        assertOneErrorLine(run("train", "--variance", "0.1", "--data", data, "--model", model), 1, "--variance", "gaussian");
        assertOneErrorLine(run("train", "--likelihood", "gaussian", "--variance", "-2", "--data", data, "--model", model),
                1, "--variance", "-2");
        assertOneErrorLine(run("train", "--likelihood", "gaussian", "--variance", "big", "--data", data, "--model", model),
                1, "--variance", "big");
        assertOneErrorLine(run("train", "--prior", "mog", "--components", "0", "--data", data, "--model", model), 1, "--components");
        assertOneErrorLine(run("train", "--levels", "3", "--data", data, "--model", model), 1, "--levels", "3");
        assertOneErrorLine(run("train", "--levels", "2", "--prior", "mog", "--data", data, "--model", model), 1, "--levels 2", "mog");
        assertFalse(Files.exists(dir.resolve("m.zip")));
    }

    @Test
    void projectAndReportDoNotReplaceEarlierOutputs() throws Exception {
        Path projection = Files.createDirectories(dir.resolve("proj").resolve("latents.parquet"));
        Files.writeString(projection.resolve("part-0"), "precious");
        assertOneErrorLine(run("project", "--model", dir.resolve("none.zip").toString(), "--out", dir.resolve("proj").toString()),
                1, "latents.parquet", "already exists", "--overwrite");
        assertEquals("precious", Files.readString(projection.resolve("part-0")));
        Path report = Files.createDirectories(dir.resolve("rep")).resolve("report.html");
        Files.writeString(report, "precious");
        assertOneErrorLine(run("report", "--model", dir.resolve("none.zip").toString(), "--out", dir.resolve("rep").toString()),
                1, "report.html", "already exists", "--overwrite");
        assertEquals("precious", Files.readString(report));
    }

    @Test
    void clusterMasterWithoutSparkSubmitIsRefused() throws Exception {
        // Run directly, the executors would never get the application's classes (4 failed attempts per task).
        Run r = run("ppca", "--master", "spark://127.0.0.1:7", "--data", validData().toString());
        assertOneErrorLine(r, 1, "--master spark://127.0.0.1:7", "submit/spark-submit.sh");
    }

    /** The launcher has no spark-yarn: a YARN (or Kubernetes) master is one line and exit 2, never Spark's stack trace. */
    @Test
    void yarnThroughTheLauncherIsOneLine() throws Exception {
        for (String master : new String[] {"yarn", "k8s://https://127.0.0.1:6443"}) {
            ProcessBuilder pb = new ProcessBuilder(Path.of("submit", "spark-submit.sh").toAbsolutePath().toString(),
                    "--master", master, "train", "--epochs", "1").redirectErrorStream(true);
            pb.environment().put("SPARK_VAE_NO_BUILD", "1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), out);
            assertEquals(1, out.lines().count(), out);
            assertTrue(out.startsWith("spark-submit.sh: error: --master " + master + ": ") && out.contains("README: On a YARN cluster"), out);
        }
    }

    @Test
    void loopbackMastersAreRecognised() {
        for (String url : new String[] {"spark://127.0.0.1:7077", "spark://localhost:7077", "spark://[::1]:7077", "spark://127.0.1.1"}) {
            assertTrue(org.sparkvae.spark.SparkSessions.isLoopback(url), url);
        }
        for (String url : new String[] {"spark://10.0.0.5:7077", "spark://node1:7077", "yarn", "spark://127.0.0.1.example.org:7077"}) {
            assertFalse(org.sparkvae.spark.SparkSessions.isLoopback(url), url);
        }
    }

    @Test
    void singleJvmWithAMasterIsRefused() throws Exception {
        String data = validData().toString();
        Path model = dir.resolve("m.zip");
        assertOneErrorLine(run("train", "--single-jvm", "--master", "local[2]", "--data", data, "--model", model.toString()),
                1, "--single-jvm", "--master local[2]");
        assertOneErrorLine(run("evaluate", "--single-jvm", "--master", "local[2]", "--model", model.toString()),
                1, "--single-jvm", "--master local[2]");
        assertFalse(Files.exists(model));
    }

    @Test
    void badPpcaSweepAndIwaeValues() throws Exception {
        String data = validData().toString();
        assertOneErrorLine(run("ppca", "--latent-dim", "0", "--data", data), 1, "--latent-dim", "1..783");
        assertOneErrorLine(run("evaluate", "--iwae", "0", "--model", dir.resolve("none.zip").toString()), 1, "--iwae", "got 0");
        assertOneErrorLine(run("sweep", "--grid", dir.resolve("none.yaml").toString(), "--out", dir.resolve("s").toString()),
                1, "none.yaml", "does not exist");
        Path grid = Files.writeString(dir.resolve("g.yaml"), "latent_dims: [2]\nprior: [mog]\n");
        assertOneErrorLine(run("sweep", "--grid", grid.toString(), "--out", dir.resolve("s").toString()), 1, "unknown key 'prior'");
        assertOneErrorLine(run("sweep", "--grid", grid.toString(), "--out", dir.resolve("s").toString(), "--parallel", "threads"),
                1, "--parallel", "configs|data");
        assertFalse(Files.exists(dir.resolve("s")), "nothing written for a refused sweep");
    }

    /** Trust issue row 5: no command replaces an existing output without --overwrite; the file keeps its bytes. */
    @Test
    void existingOutputsAreNeverReplacedSilently() throws Exception {
        String data = validData().toString();
        Path out = Files.writeString(dir.resolve("metrics.json"), "mine");
        assertOneErrorLine(run("evaluate", "--model", dir.resolve("none.zip").toString(), "--out", out.toString()), 1,
                "metrics.json", "already exists", "--overwrite");
        assertOneErrorLine(run("ppca", "--data", data, "--out", out.toString()), 1, "metrics.json", "already exists");
        Path png = Files.writeString(dir.resolve("s.png"), "mine");
        assertOneErrorLine(run("sample", "--model", dir.resolve("none.zip").toString(), "--samples", png.toString()), 1,
                "s.png", "already exists");
        Files.delete(png);
        Path mean = Files.writeString(dir.resolve("s-mean.png"), "mine");
        assertOneErrorLine(run("sample", "--model", dir.resolve("none.zip").toString(), "--samples", png.toString()), 1,
                "s-mean.png", "already exists");
        for (String sibling : new String[] {"m.json", "m.metrics.csv", "m.metrics.parquet", "m.curves.png"}) {
            Path f = Files.writeString(dir.resolve(sibling), "mine");
            assertOneErrorLine(run("train", "--data", data, "--model", dir.resolve("m.zip").toString()), 1,
                    sibling, "already exists", "--overwrite");
            assertEquals("mine", Files.readString(f));
            Files.delete(f);
        }
        assertEquals("mine", Files.readString(out));
        assertEquals("mine", Files.readString(mean));
        assertFalse(Files.exists(dir.resolve("m.ckpt")));
    }

    /** Trust issue row 10: a huge grid is refused before anything starts, with its size and disk estimate. */
    @Test
    void hugeSweepGridNeedsMaxConfigs() throws Exception {
        StringBuilder dims = new StringBuilder();
        for (int m = 1; m <= 600; m++) {
            dims.append(m == 1 ? "" : ", ").append(m);
        }
        Path grid = Files.writeString(dir.resolve("huge.yaml"), "latent_dims: [" + dims + "]\npriors: [gaussian]\n");
        StringWriter err = new StringWriter();
        int status = SparkVaeCli.execute(new PrintWriter(err, true), "sweep", "--grid", grid.toString(), "--out", dir.resolve("s").toString());
        assertEquals(1, status, err.toString());
        String last = err.toString().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("600 configurations") && last.contains("--max-configs 500") && last.contains("--max-configs 600"), last);
        assertFalse(Files.exists(dir.resolve("s")));
    }

    /** Trust issue row 9: report validates --sweep before writing; train removes temp files of killed writers. */
    @Test
    void reportChecksItsSweepFirstAndTrainClearsStaleTemps() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-sweep"));
        assertOneErrorLine(run("report", "--model", dir.resolve("none.zip").toString(), "--out", dir.resolve("rep").toString(),
                "--sweep", empty.toString()), 1, "--sweep", "no finished configurations");
        assertFalse(Files.exists(dir.resolve("rep")));

        Path stale = Files.writeString(dir.resolve(".m.zip.8123456.tmp"), "half a model");
        Path staleMetrics = Files.writeString(dir.resolve(".m.metrics.csv.77.tmp"), "half");
        Path staleCkpt = Files.writeString(Files.createDirectories(dir.resolve("m.ckpt")).resolve(".epoch-0001.zip.5.tmp"), "half");
        Path other = Files.writeString(dir.resolve(".other.zip.1.tmp"), "not this run's");
        Run r = run("train", "--epochs", "1", "--single-jvm", "--no-test-eval", "--no-progress", "--data", validData().toString(),
                "--model", dir.resolve("m.zip").toString());
        assertEquals(0, r.status(), r.err());
        assertFalse(Files.exists(stale) || Files.exists(staleMetrics) || Files.exists(staleCkpt));
        assertTrue(Files.exists(other));
    }

    /** Trust issue row 11: local paths are literal ([, %, < are file-name characters); --epochs 0 claims nothing unwritten. */
    @Test
    void oddLocalPathsAndZeroEpochs() throws Exception {
        String data = validData().toString();
        Path odd = dir.resolve("runs [1] 100% <a>").resolve("m.zip");
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(stdout, true));
        try {
            Run r = run("train", "--epochs", "0", "--single-jvm", "--no-test-eval", "--no-progress", "--data", data,
                    "--model", odd.toString());
            assertEquals(0, r.status(), r.err());
        } finally {
            System.setOut(saved);
        }
        assertTrue(Files.exists(odd));
        assertTrue(stdout.toString().contains("no epochs trained, so no metrics, curves or checkpoints"), stdout.toString());
        assertFalse(Files.exists(odd.resolveSibling("m.metrics.csv")));
    }

    /**
     * Trust issue row 11: a declared class count (--classes) refuses a label outside it with one line, whether the
     * driver reads the files (one JVM) or the executors do (project on the embedded Spark); nothing is written.
     */
    @Test
    void labelsOutsideTheDeclaredClassesAreRefused() throws Exception {
        String data = validData().toString(); // labels 0..9
        Path refused = dir.resolve("refused.zip");
        assertOneErrorLine(run("train", "--single-jvm", "--epochs", "1", "--no-progress", "--classes", "5", "--data", data,
                "--model", refused.toString()), 1, "label 5 of record 5 is outside the declared 5 classes (0..4)");
        assertFalse(Files.exists(refused));
        assertOneErrorLine(run("train", "--classes", "300", "--data", data, "--model", refused.toString()), 1, "--classes must be in 1..256");

        Path model = dir.resolve("m.zip");
        Run trained = run("train", "--single-jvm", "--epochs", "1", "--no-progress", "--no-test-eval", "--classes", "10",
                "--data", data, "--model", model.toString());
        assertEquals(0, trained.status(), trained.err());
        Path out = dir.resolve("proj");
        assertOneErrorLine(run("project", "--master", "local[1]", "--no-progress", "--classes", "5", "--data", data,
                "--model", model.toString(), "--out", out.toString()), 1, "outside the declared 5 classes (0..4)");
        assertFalse(Files.exists(out.resolve("latents.parquet")));
    }

    /** Trust issue row 5 for sweeps: --out may be new, empty or an earlier sweep's, not a directory of the user's files. */
    @Test
    void sweepRefusesADirectoryThatIsNotASweep() throws Exception {
        Path grid = Files.writeString(dir.resolve("g.yaml"), "latent_dims: [2]\n");
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("results.csv.bak"), "my own table");
        assertOneErrorLine(run("sweep", "--grid", grid.toString(), "--out", mine.toString()), 1,
                "results.csv.bak", "not part of a spark-vae sweep");
        assertEquals(List.of("results.csv.bak"), Files.list(mine).map(p -> p.getFileName().toString()).toList());
    }
    /** Rows from a Spark data source: the CLI's wording of the refusals, before anything is written. */
    @Test
    void dataFormatMisuseIsOneLineInFlags() throws Exception {
        Path model = dir.resolve("m.zip");
        assertOneErrorLine(run("train", "--data-format", "parquet", "--model", model.toString()), 1,
                "--data-format parquet needs --data PATH");
        assertOneErrorLine(run("train", "--data-format", "parquet", "--data", dir.toString(), "--single-jvm", "--model",
                model.toString()), 1, "--data-format parquet: rows from a Spark data source", "drop --single-jvm");
        assertOneErrorLine(run("train", "--test-data", dir.toString(), "--data", validData().toString(), "--model",
                model.toString()), 1, "--test-data applies to --data-format other than idx");
        assertOneErrorLine(run("train", "--data-format", "parquet", "--data", dir.toString(), "--image-shape", "28by28",
                "--model", model.toString()), 1, "image shape must be HxW (e.g. 28x28), got 28by28");
        assertOneErrorLine(run("ppca", "--data-format", "parquet", "--data", dir.toString()), 1,
                "apply to train, evaluate and project; this command reads an IDX directory");
        assertFalse(Files.exists(model));
    }

    /**
     * The model takes D from the data: two rows of 2,200,000 values make a network of 2.25e9 parameters, more than
     * one ND4J array holds (the 2,000,000 also needs 42 GB: ModelSizeTest). Refused in one line naming D after the data pass, before DL4J allocates and before the checkpoint
     * directory exists (before: 49 s, then a NullPointerException's text and an empty m.ckpt/ left behind).
     */
    @Test
    void aModelTooLargeForItsDataIsRefusedBeforeAnythingIsWritten() throws Exception {
        int d = 2_200_000;
        StringBuilder row = new StringBuilder(4 * d + 20).append("{\"features\":[");
        for (int i = 0; i < d; i++) {
            row.append(i == 0 ? "0.0" : ",0.0"); // doubles: JSON integers are read as bigint
        }
        row.append("]}\n");
        Path wide = Files.createDirectories(dir.resolve("wide"));
        Files.writeString(wide.resolve("rows.json"), row.toString() + row);
        Path runs = Files.createDirectories(dir.resolve("runs"));
        Run r = run("train", "--data", wide.toString(), "--data-format", "json", "--model", runs.resolve("m.zip").toString(),
                "--no-progress");
        assertOneErrorLine(r, 1, "inputSize 2200000 (D, from the data)", "2200000-512-512-20",
                "more than the 2,147,483,647 one ND4J array holds");
        try (var left = Files.list(runs)) {
            assertEquals(List.of(), left.toList(), "nothing written");
        }
    }

    /**
     * D declared before any row is read (here by --image-shape; a vector column's ML attribute metadata does the same):
     * the model's size is refused before the data pass. Rows of 4 values would otherwise be refused by that pass
     * ("rows have 4 values, but the image shape ... has 2250000"), so this line shows which check ran first.
     */
    @Test
    void aModelTooLargeForItsDeclaredShapeIsRefusedBeforeTheDataPass() throws Exception {
        Path rows = Files.createDirectories(dir.resolve("declared"));
        Files.writeString(rows.resolve("rows.json"), "{\"features\":[0.0,1.0,0.0,1.0]}\n{\"features\":[1.0,0.0,1.0,0.0]}\n");
        Path runs = Files.createDirectories(dir.resolve("runs-declared"));
        Run r = run("train", "--data", rows.toString(), "--data-format", "json", "--image-shape", "1500x1500",
                "--model", runs.resolve("m.zip").toString(), "--no-progress");
        assertOneErrorLine(r, 1, "inputSize 2250000", "2250000-512-512-20", "more than the 2,147,483,647 one ND4J array holds");
        try (var left = Files.list(runs)) {
            assertEquals(List.of(), left.toList(), "nothing written");
        }
    }
}
