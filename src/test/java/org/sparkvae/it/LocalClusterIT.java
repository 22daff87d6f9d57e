package org.sparkvae.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Spark standalone cluster on 127.0.0.1 (a Master and two 1-core Workers started by
 * submit/local-cluster.sh from the project's jars); train and evaluate are sent to it with
 * spark-submit on real MNIST (all 60,000 training images, every task's serialized size read from the driver's
 * scheduler) and on a slice; everything listens on loopback, the cluster requires its generated
 * secret, and the cluster is stopped by PID afterwards.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.parallel.ResourceLock(org.sparkvae.spark.TestSpark.LOCK) // Spark runs in this JVM
class LocalClusterIT {
    private static final Path STATE = Path.of("target", "it-cluster").toAbsolutePath();
    private static String masterUrl;

    @TempDir
    Path dir;

    private static String run(Path log, String... command) throws IOException, InterruptedException {
        return run(Path.of("").toAbsolutePath(), log, command);
    }

    private static String run(Path workDir, Path log, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_CLUSTER_DIR", STATE.toString());
        pb.environment().remove("OMP_NUM_THREADS");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + List.of(command));
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String script(String name) {
        return Path.of("submit", name).toAbsolutePath().toString();
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(STATE);
        String out = run(STATE.resolve("start.out"), script("local-cluster.sh"), "start", "2");
        masterUrl = out.lines().filter(l -> l.startsWith("spark://")).reduce((a, b) -> b).orElseThrow();
        assertTrue(masterUrl.startsWith("spark://127.0.0.1:"), masterUrl);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(STATE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(f).strip()));
            }
        }
        assertEquals(3, pids.size(), "master and two workers were started");
        run(STATE.resolve("stop.out"), script("local-cluster.sh"), "stop");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive");
        }
    }

    /**
     * One epoch on all 60,000 training images with its per-epoch test ELBO, then evaluate on the 10,000 test
     * images: every task the driver's scheduler sent (training rounds, averaging, checksums, ELBO) was under
     * 1 MB — the executors read the pixels, no task carries them — and no "task of very large size" warning.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void trainAndEvaluateThroughSparkSubmit() throws Exception {
        // The README's cluster commands as a user types them: from a directory holding data/mnist and runs/, with
        // the default (relative) data path and a relative model path. The driver qualifies the paths the executors
        // read (MnistFiles.qualify); before, each executor resolved data/mnist against its own work directory.
        Files.createDirectories(dir.resolve("data"));
        Files.createSymbolicLink(dir.resolve("data").resolve("mnist"), org.sparkvae.data.RealData.mnist());
        Files.createDirectories(dir.resolve("runs"));
        Path model = dir.resolve("runs").resolve("m.zip");
        Path trainLog = dir.resolve("train.log");
        Path taskLog = dir.resolve("tasks.log");
        Path log4j = dir.resolve("log4j2-tasks.properties");
        Files.writeString(log4j, TaskSizes.logConfig(Files.readString(Path.of("conf", "log4j2.properties")), taskLog));
        ProcessBuilder pb = new ProcessBuilder(script("spark-submit.sh"), "--master", masterUrl, "train",
                "--epochs", "1", "--averaging-frequency", "50",
                "--workers", "2", "--model", "runs/m.zip", "--no-progress")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(trainLog.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_CLUSTER_DIR", STATE.toString());
        pb.environment().put("SPARK_VAE_LOG4J", log4j.toString());
        long started = System.currentTimeMillis() - 1000;
        Process submit = pb.start();
        // While it trains: every socket of the driver, the master, the workers and their executors is on loopback.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        // The driver prints its master line once its executors are up; the job runs for several seconds after.
        while (!Files.readString(trainLog).contains("Spark master ") && submit.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2000);
        List<Long> pids = new ArrayList<>(ListeningSockets.tree(submit.pid()));
        for (String name : List.of("master", "worker-1", "worker-2")) {
            pids.addAll(ListeningSockets.tree(Long.parseLong(Files.readString(STATE.resolve(name + ".pid")).strip())));
        }
        List<String> listening = ListeningSockets.of(pids);
        assertTrue(submit.waitFor(10, TimeUnit.MINUTES));
        String train = Files.readString(trainLog);
        assertEquals(0, submit.exitValue(), train);
        assertTrue(pids.size() >= 6, "driver, master, 2 workers and their 2 executors: " + pids + "\n" + train);
        assertTrue(listening.size() >= 6 && listening.stream().allMatch(ListeningSockets::isLoopback),
                "listening: " + listening);
        assertTrue(train.contains("Spark master " + masterUrl + ": 2 workers"), train);
        assertTrue(Files.exists(model) && Files.exists(dir.resolve("runs").resolve("m.json")), train);
        // Each executor chose its ND4J build for its own CPU before its first task (NativeBuild.Plugin, from the
        // cluster jar, which holds the plain and one oneDNN build).
        String expected = "spark-vae: ND4J build " + org.sparkvae.backend.NativeBuild.forThisMachine("auto").label() + " on executor";
        List<Path> stderr;
        try (var files = Files.walk(STATE)) {
            // this run's executors only (a kept state directory holds earlier runs' logs)
            stderr = files.filter(f -> f.getFileName().toString().equals("stderr") && f.toFile().lastModified() >= started).toList();
        }
        long chose = 0;
        for (Path f : stderr) {
            chose += Files.readAllLines(f).stream().filter(l -> l.contains(expected)).count();
        }
        assertTrue(chose >= 2, "executors logging '" + expected + "' in " + stderr);
        assertTrue(train.contains("epoch 1/1") && train.contains("test -ELBO"), train);

        Path metrics = dir.resolve("runs").resolve("metrics.json");
        String evaluate = run(dir, dir.resolve("eval.log"), script("spark-submit.sh"), "--master", masterUrl, "evaluate",
                "--model", "runs/m.zip", "--out", "runs/metrics.json", "--no-progress");
        JsonNode m = new ObjectMapper().readTree(metrics.toFile());
        assertEquals(10_000, m.get("n").asInt());
        double negElbo = m.get("test_neg_elbo").asDouble();
        // One epoch on 60,000 images: far better than an untrained decoder (543 nats), not yet converged (≈ 88.5).
        assertTrue(negElbo < 200 && negElbo > 90, "test -ELBO " + negElbo);
        assertEquals(negElbo, m.get("test_recon").asDouble() + m.get("test_kl").asDouble(), 1e-6);

        // The training run's tasks, as its driver's scheduler sized them (TaskSizes; evaluate ran without that log).
        List<TaskSizes.Task> tasks = TaskSizes.parse(Files.readAllLines(taskLog).stream());
        assertTrue(tasks.size() >= 10, "tasks seen: " + tasks.size() + " in " + taskLog);
        TaskSizes.Task largest = tasks.stream().max(java.util.Comparator.comparingLong(TaskSizes.Task::bytes)).orElseThrow();
        System.out.println(getClass().getSimpleName() + ": " + tasks.size() + " tasks, the largest " + largest.bytes() + " bytes");
        assertTrue(largest.bytes() < 1_000_000, "a task of " + largest.bytes() + " bytes: " + largest);
        // The training driver's TaskSetManager lines, its warnings included, go to the task log only.
        assertFalse(Files.readString(taskLog).contains("very large size"), taskLog.toString());
        assertFalse(evaluate.contains("very large size"), evaluate);
    }

    /**
     * A million images (the real test set tiled 100 times: 784 MB of pixels, written under target/ by this test) read
     * by the cluster's executors while the driver runs in its own JVM with a 512 MB heap (Spark's minimum is 450 MB):
     * the count, the images per label and the mean pixel equal a streaming pass over the same files.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void aMillionImagesWithA512MbDriver() throws Exception {
        Path mnist = org.sparkvae.data.RealData.mnist();
        int copies = 100;
        Path big = Files.createDirectories(Path.of("target", "it-scale").toAbsolutePath());
        Path images = big.resolve("train-images-idx3-ubyte");
        Path labelFile = big.resolve("train-labels-idx1-ubyte");
        try {
            org.sparkvae.bench.LoadBenchmark.tile(mnist, copies, big);
            // The expected figures from a streaming pass over the files just written.
            long[] perLabel = new long[256];
            long pixelSum = 0;
            long count = 0;
            try (var in = new java.io.BufferedInputStream(Files.newInputStream(images), 1 << 20);
                 var lab = new java.io.BufferedInputStream(Files.newInputStream(labelFile), 1 << 16)) {
                in.readNBytes(16);
                lab.readNBytes(8);
                byte[] record = new byte[784];
                for (int label; (label = lab.read()) >= 0; count++) {
                    perLabel[label]++;
                    assertEquals(784, in.readNBytes(record, 0, 784));
                    for (byte b : record) {
                        pixelSum += b & 0xFF;
                    }
                }
            }
            java.util.Map<Integer, Long> expectedLabels = new java.util.TreeMap<>();
            for (int l = 0; l < 256; l++) {
                if (perLabel[l] > 0) {
                    expectedLabels.put(l, perLabel[l]);
                }
            }
            double expectedMean = pixelSum / 255.0 / (count * 784.0);

            ProcessBuilder pb = new ProcessBuilder(script("spark-submit.sh"), "--master", masterUrl, "data-stats",
                    "--data", big.toString(), "--data-mode", "continuous")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stats.log").toFile());
            pb.environment().put("SPARK_VAE_NO_BUILD", "1");
            pb.environment().put("SPARK_VAE_CLUSTER_DIR", STATE.toString());
            pb.environment().put("SPARK_VAE_JAVA_MEM", "512m"); // the driver JVM's -Xmx
            Process p = pb.start();
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out");
            String out = Files.readString(dir.resolve("stats.log"));
            assertEquals(0, p.exitValue(), out);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(\\d+) images of 28x28 \\(continuous\\), mean pixel ([0-9.]+), per label (\\{.*})").matcher(out);
            assertTrue(m.find(), out);
            assertEquals(count, Long.parseLong(m.group(1)));
            assertEquals(1_000_000, count);
            assertEquals(expectedMean, Double.parseDouble(m.group(2)), 1e-6, out);
            assertEquals(expectedLabels.toString(), m.group(3));
            assertFalse(out.contains("very large size"), out);
        } finally {
            Files.deleteIfExists(images); // 784 MB
            Files.deleteIfExists(labelFile);
        }
    }

    /**
     * A Parquet training source with one part file cut short (a copy that stopped half-way): the executors read the
     * parts, the first task that meets the damaged one fails, and the job ends there (FailFast) with the cause in one
     * line: no retries on the other worker, no Spark wrapper, no stack trace on the console.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void aCorruptParquetSourceEndsAtItsFirstFailedTask() throws Exception {
        Path rows = dir.resolve("rows.parquet");
        try (org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().master("local[1]")
                .appName("LocalClusterIT-parquet").config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()) {
            List<org.apache.spark.sql.Row> data = new ArrayList<>();
            java.util.Random random = new java.util.Random(5);
            for (int i = 0; i < 800; i++) {
                double[] x = new double[16];
                for (int j = 0; j < x.length; j++) {
                    x[j] = random.nextDouble() < 0.3 ? 1 : 0;
                }
                data.add(org.apache.spark.sql.RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(x)));
            }
            session.createDataFrame(data, new org.apache.spark.sql.types.StructType().add("features",
                    new org.apache.spark.ml.linalg.VectorUDT())).repartition(4).write().parquet(rows.toString());
        }
        List<Path> parts;
        try (var files = Files.list(rows)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertEquals(4, parts.size(), parts.toString());
        Path damaged = parts.get(parts.size() - 1); // not the first: Spark reads one footer on the driver for the schema
        byte[] whole = Files.readAllBytes(damaged);
        Files.write(damaged, java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.deleteIfExists(damaged.resolveSibling("." + damaged.getFileName() + ".crc")); // as a plain copy leaves it

        Path log = dir.resolve("parquet.log");
        ProcessBuilder pb = new ProcessBuilder(script("spark-submit.sh"), "--master", masterUrl, "train", "--data", rows.toString(),
                "--data-format", "parquet", "--epochs", "1", "--workers", "2", "--model", dir.resolve("p.zip").toString(),
                "--no-progress").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_CLUSTER_DIR", STATE.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out");
        String out = Files.readString(log);
        assertEquals(1, p.exitValue(), out);
        List<String> errors = out.lines().filter(l -> l.contains(" error: ") || l.matches("\\d\\d:\\d\\d:\\d\\d ERROR .*")).toList();
        String last = out.lines().reduce((a, b) -> b).orElse("");
        System.out.println("LocalClusterIT: " + last);
        assertTrue(last.startsWith("spark-vae train: error: ") && last.contains(damaged.getFileName().toString()),
                "the cause in one line, naming the file: " + last + "\n" + out);
        assertEquals(1, errors.size(), "one error line, no ERROR lines of Spark's: " + errors + "\n" + out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
        assertFalse(out.contains("failed 4 times") || out.contains("Job aborted"), "not retried: " + out);
        assertFalse(Files.exists(dir.resolve("p.zip")), out);
    }

    /** The cluster requires its secret: a driver without it is refused (the master logs why) and never runs. */
    @Test
    @org.junit.jupiter.api.Order(3)
    void submitWithoutTheSecretIsRefused() throws Exception {
        String data = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();
        Path log = dir.resolve("noauth.log");
        long masterLogBefore = Files.size(STATE.resolve("master.log"));
        ProcessBuilder pb = new ProcessBuilder(script("spark-submit.sh"), "--master", masterUrl, "train",
                "--data", data, "--epochs", "1", "--model", dir.resolve("x.zip").toString(), "--no-progress")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_CLUSTER_DIR", dir.resolve("elsewhere").toString()); // finds no secret
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            String refused = "";
            while (System.nanoTime() < deadline && p.isAlive()) {
                String masterLog = Files.readString(STATE.resolve("master.log"));
                refused = masterLog.substring((int) Math.min(masterLogBefore, masterLog.length()));
                if (refused.contains("Expected SaslMessage")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(refused.contains("Expected SaslMessage"), "master log: " + refused + "\nsubmit: " + Files.readString(log));
            assertFalse(Files.readString(log).contains("epoch 1/1"), Files.readString(log));
        } finally {
            ProcessHandle.of(p.pid()).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(dir.resolve("x.zip")));
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void trainingSurvivesAKilledWorker() throws Exception {
        String data = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();
        Path log = dir.resolve("train-kill.log");
        ProcessBuilder pb = new ProcessBuilder(script("spark-submit.sh"), "--master", masterUrl,
                "--conf", "spark.task.maxFailures=4", "train", "--data", data, "--epochs", "4", "--batch-size", "100",
                "--averaging-frequency", "2", "--workers", "2", "--model", dir.resolve("k.zip").toString(), "--no-progress")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_CLUSTER_DIR", STATE.toString());
        Process p = pb.start();
        // Kill worker 1 (its Worker JVM, by PID) once training is under way.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.readString(log).contains("epoch 1/4") && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(200);
        }
        assertTrue(Files.readString(log).contains("epoch 1/4"), Files.readString(log));
        long worker = Long.parseLong(Files.readString(STATE.resolve("worker-1.pid")).strip());
        ProcessHandle handle = ProcessHandle.of(worker).orElseThrow();
        handle.descendants().forEach(ProcessHandle::destroyForcibly); // its executor JVM
        handle.destroyForcibly();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "training did not finish after the worker was killed");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("epoch 4/4"), out);
        assertTrue(out.contains("Lost executor"), "the driver must have seen the executor go: " + out);
        assertTrue(Files.exists(dir.resolve("k.zip")), out);
    }
}
