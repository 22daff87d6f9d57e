package org.sparkvae.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.sparkvae.cli.SparkVaeCli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spark-vae on YARN as users run it: a stock Spark 3.5.9 distribution ($SPARK_HOME/jars from src/test/spark-dist/pom.xml,
 * with spark-yarn), its launcher building the java command line as {@code bin/spark-submit} does, the real cluster jar
 * as the application jar (uploaded to HDFS staging and localized in every container), and an in-process YARN
 * (MiniYARNCluster: one ResourceManager, one NodeManager launching real container JVMs) with HDFS (MiniDFSCluster),
 * both on 127.0.0.1, as Spark's own BaseYarnClusterSuite sets them up.
 *
 * <p>The spark-submit arguments are the README's, read from its "On a YARN cluster" block, with only the HDFS
 * addresses and the test's loopback settings added.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT) // beside the other ITs
@org.junit.jupiter.api.parallel.ResourceLock(YarnClusterIT.HADOOP_MINICLUSTER)
@org.junit.jupiter.api.parallel.ResourceLock(SparkDistribution.LOCK)
class YarnClusterIT {
    /** In-process Hadoop clusters share static state (metrics, UGI): one test class at a time runs them. */
    static final String HADOOP_MINICLUSTER = "hadoop-minicluster";

    private static final Path SPARK_HOME = SparkDistribution.HOME;
    private static final Path JAR = Path.of("target", "spark-vae-cluster.jar").toAbsolutePath();
    private static MiniDFSCluster hdfs;
    private static MiniYARNCluster yarn;
    private static Path work;
    private static Path confDir;
    private static String fs;
    /** Every TCP socket any process of the test listened on, sampled while the jobs ran. */
    private static final Set<String> LISTENING = Collections.synchronizedSet(new LinkedHashSet<>());
    /** Peak resident memory (VmHWM, MB) of every executor container JVM seen. */
    private static final Map<Long, Long> EXECUTOR_PEAK_MB = Collections.synchronizedMap(new HashMap<>());
    /** The -XX:OnOutOfMemoryError flags seen on executor command lines (conf/spark-defaults.conf replaces YARN's `kill %p`). */
    private static final Set<String> EXECUTOR_OOM_FLAGS = Collections.synchronizedSet(new java.util.TreeSet<>());

    @BeforeAll
    static void start() throws Exception {
        SparkDistribution.home();
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "yarn-");
        Configuration dfsConf = new Configuration();
        dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem().getUri().toString();

        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", fs);
        conf.set("yarn.resourcemanager.hostname", "127.0.0.1");
        // The minicluster jar has no capacity-scheduler.xml: one queue, set here (as BaseYarnClusterSuite does).
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        // A full developer disk must not mark the only node unhealthy.
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        conf.set("yarn.nodemanager.disk-health-checker.min-free-space-per-disk-mb", "0");
        // Physical memory is enforced as on a real cluster (the memory test depends on it); virtual memory is not
        // (a JVM reserves far more address space than it uses, and most clusters turn this check off).
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", true);
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setInt("yarn.nodemanager.container-monitor.interval-ms", 1000);
        // Room for an application master and two 1-core executors of the README's size (1500m + 2g overhead),
        // booked, not used: a 2-core machine runs them.
        conf.setInt("yarn.nodemanager.resource.memory-mb", 10240);
        // MiniYARNCluster overrides the line above with this one (default 4096 MB: no room for two executors).
        conf.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", 10240);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        // Containers sized nearly to the MB (a small minimum allocation): the memory test's executor gets 544 MB for its
        // 512m + 1m, not a rounded-up 768 MB.
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 32);
        conf.setInt("yarn.scheduler.maximum-allocation-mb", 10240);
        // Containers run this JDK's java ({{JAVA_HOME}}/bin/java); the test JVM's environment may have no JAVA_HOME.
        conf.set("yarn.nodemanager.admin-env", "JAVA_HOME=" + System.getProperty("java.home"));
        yarn = new MiniYARNCluster("YarnClusterIT", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        // MiniYARNCluster can return from start() before the RM has written its real port (BaseYarnClusterSuite).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "ResourceManager did not come up");
            Thread.sleep(100);
        }
        confDir = Files.createDirectories(work.resolve("hadoop-conf"));
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", fs);
        try (OutputStream out = Files.newOutputStream(confDir.resolve("core-site.xml"))) {
            core.writeXml(out);
        }
        // Real MNIST (a slice: 1,000 training and 500 test images of the npm package's files) on HDFS.
        Path slice = Path.of(YarnClusterIT.class.getResource("/mnist-slice").toURI());
        try (var files = Files.list(slice)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".gz")).toList()) {
                hdfs.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()),
                        new org.apache.hadoop.fs.Path(fs + "/data/mnist/" + f.getFileName()));
            }
        }
        hdfs.getFileSystem().mkdirs(new org.apache.hadoop.fs.Path(fs + "/runs"));
    }

    @AfterAll
    static void stop() {
        if (yarn != null) {
            yarn.stop();
        }
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    /** The README's spark-submit arguments for {@code subcommand}: the words after "spark-submit" on its line. */
    static List<String> readmeArguments(String subcommand) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("## On a YARN cluster");
        assertTrue(at >= 0, "README has no YARN section");
        Matcher m = Pattern.compile("\\$SPARK_HOME/bin/spark-submit ((?:[^\\n]|\\\\\\n)*?) (\\S*spark-vae-cluster\\.jar) "
                + subcommand + " ((?:[^\\n]|\\\\\\n)*)").matcher(readme.substring(at));
        assertTrue(m.find(), "README's YARN section has no " + subcommand + " command");
        List<String> args = new ArrayList<>(words(m.group(1)));
        // target/spark-vae-cluster.jar (uploaded at every submit) or the copy put on HDFS once (hdfs:///apps/...)
        args.add(m.group(2).startsWith("hdfs:") ? words(m.group(2)).get(0) : JAR.toString());
        args.add(subcommand);
        args.addAll(words(m.group(3)));
        return args;
    }

    private static List<String> words(String shell) {
        List<String> out = new ArrayList<>();
        for (String w : shell.replace("\\\n", " ").trim().split("\\s+")) {
            out.add(w.replace("hdfs:///", fs + "/"));
        }
        return out;
    }

    /**
     * Runs {@code $SPARK_HOME/bin/spark-submit ARGS} as Spark's scripts do: org.apache.spark.launcher.Main prints the
     * java command line (NUL-separated; it applies spark.driver.extraJavaOptions and the module flags), which is run.
     */
    private static Process sparkSubmit(List<String> args, Path log, Map<String, String> extraEnv) throws Exception {
        List<String> launcher = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", SPARK_HOME.resolve("jars") + "/*", "org.apache.spark.launcher.Main",
                "org.apache.spark.deploy.SparkSubmit"));
        launcher.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(launcher);
        env(pb.environment(), extraEnv);
        Process p = pb.redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(log));
        List<String> command = new ArrayList<>();
        for (String part : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!part.isBlank()) {
                command.add(command.isEmpty() ? part.strip() : part);
            }
        }
        ProcessBuilder run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        env(run.environment(), extraEnv);
        return run.start();
    }

    private static void env(Map<String, String> env, Map<String, String> extra) {
        env.put("SPARK_HOME", SPARK_HOME.toString());
        env.put("HADOOP_CONF_DIR", confDir.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_SCALA_VERSION", "2.12"); // what a distribution's bin/load-spark-env.sh exports
        env.remove("OMP_NUM_THREADS");
        env.putAll(extra);
    }

    /** The test's own settings: everything on 127.0.0.1 (driver, application master and executors), no UI. */
    private static List<String> loopback(List<String> readme) {
        List<String> out = new ArrayList<>();
        int at = appJar(readme);
        out.addAll(readme.subList(0, at));
        for (String c : List.of("spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                "spark.ui.enabled=false")) {
            out.add("--conf");
            out.add(c);
        }
        out.addAll(readme.subList(at, readme.size()));
        return out;
    }

    /** Where the application jar is in spark-submit's arguments (the first word after the options that is a jar). */
    private static int appJar(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).endsWith("spark-vae-cluster.jar") && (i == 0 || !args.get(i - 1).equals("--jars"))) {
                return i;
            }
        }
        throw new AssertionError("no application jar in " + args);
    }

    /**
     * The seconds between the YARN client's "Preparing resources for our AM container" and its "Submitting application"
     * in a submit's log, as sampled while it ran: the staging of the application's files in HDFS (with the default
     * settings, zipping {@code $SPARK_HOME/jars} and uploading it and the cluster jar), which every submit pays.
     */
    private static final Map<Path, long[]> STAGING = Collections.synchronizedMap(new HashMap<>());

    private static void watchStaging(Path log) throws IOException {
        long[] t = STAGING.computeIfAbsent(log, k -> new long[2]);
        String text = Files.readString(log);
        long now = System.nanoTime();
        if (t[0] == 0 && text.contains("Preparing resources for our AM container")) {
            t[0] = now;
        }
        if (t[1] == 0 && text.contains("Submitting application")) {
            t[1] = now;
        }
    }

    private static double stagingSeconds(Path log) {
        long[] t = STAGING.get(log);
        assertTrue(t != null && t[0] > 0 && t[1] >= t[0], "the YARN client's staging was seen in " + log);
        return (t[1] - t[0]) / 1e9;
    }

    /** Waits for a spark-submit, sampling listening sockets and executor memory of everything the test runs. */
    private static String await(Process p, Path log, int minutes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        try {
            while (p.isAlive() && System.nanoTime() < deadline) {
                sample(p);
                watchStaging(log);
                p.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertFalse(p.isAlive(), "timed out: " + Files.readString(log));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return Files.readString(log);
    }

    private static void sample(Process submit) throws IOException {
        List<Long> pids = new ArrayList<>(ListeningSockets.tree(ProcessHandle.current().pid()));
        LISTENING.addAll(ListeningSockets.of(pids));
        for (long pid : executors()) {
            ProcessHandle.of(pid).flatMap(h -> h.info().arguments()).ifPresent(args -> java.util.Arrays.stream(args)
                    .filter(a -> a.contains("OnOutOfMemoryError")).forEach(EXECUTOR_OOM_FLAGS::add));
            long kb = vmHwmKb(pid);
            if (kb > 0) {
                EXECUTOR_PEAK_MB.merge(pid, kb / 1024, Math::max);
            }
        }
    }

    /** PIDs of the executor container JVMs now running (children of this JVM's NodeManager). */
    private static List<Long> executors() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)
                        && h.info().commandLine().map(c -> c.contains("YarnCoarseGrainedExecutorBackend")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the container ended
        }
        return 0;
    }

    /** The final state of the one application named in a spark-submit log, through YarnClient. */
    private static ApplicationReport report(String log) throws Exception {
        Matcher m = Pattern.compile("application_(\\d+)_(\\d+)").matcher(log);
        assertTrue(m.find(), log);
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(yarn.getConfig());
            client.start();
            return client.getApplicationReport(org.apache.hadoop.yarn.api.records.ApplicationId.newInstance(
                    Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
        }
    }

    @Test
    @Order(1)
    @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD) // in order
    void trainInClientModeSurvivingAKilledExecutor() throws Exception {
        Path log = work.resolve("train.log");
        Process p = sparkSubmit(loopback(readmeArguments("train")), log, Map.of());
        // One executor's container JVM killed once the first epoch is done: YARN starts another, Spark retries its task.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.readString(log).contains("epoch 1/") && p.isAlive() && System.nanoTime() < deadline) {
            sample(p);
            watchStaging(log);
            Thread.sleep(200);
        }
        String sofar = Files.readString(log);
        assertTrue(sofar.contains("epoch 1/"), sofar);
        List<Long> running = executors();
        assertEquals(2, running.size(), "two executors: " + running);
        ProcessHandle.of(running.get(0)).ifPresent(ProcessHandle::destroyForcibly);
        String out = await(p, log, 6);
        System.out.println(out);
        assertEquals(0, p.exitValue(), out);
        Matcher epochs = Pattern.compile("epoch (\\d+)/(\\d+)").matcher(out);
        String done = null;
        while (epochs.find()) {
            done = epochs.group(1).equals(epochs.group(2)) ? epochs.group() : done;
        }
        assertTrue(done != null, "the last epoch finished: " + out);
        ApplicationReport app = report(out);
        assertEquals(YarnApplicationState.FINISHED, app.getYarnApplicationState());
        assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
        FileSystem dfs = hdfs.getFileSystem();
        for (String f : List.of("/runs/yarn.zip", "/runs/yarn.json", "/runs/yarn.metrics.csv")) {
            assertTrue(dfs.exists(new org.apache.hadoop.fs.Path(fs + f)), f + " on HDFS");
        }
        System.out.println("YarnClusterIT: executor peak RSS (VmHWM, MB): " + EXECUTOR_PEAK_MB.values());
    }

    @Test
    @Order(2)
    @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD) // in order
    void evaluateInClusterModeMatchesTheSingleJvm() throws Exception {
        // The README's one-time step for repeated runs: the cluster jar and an archive of $SPARK_HOME/jars on HDFS, the
        // archive made with the JDK's jar tool exactly as the README says, the copies done as hdfs dfs -put would.
        long t0 = System.nanoTime();
        FileSystem dfs = hdfs.getFileSystem();
        Path libs = work.resolve("spark-libs.zip");
        java.io.StringWriter jarOut = new java.io.StringWriter();
        int rc = java.util.spi.ToolProvider.findFirst("jar").orElseThrow().run(new java.io.PrintWriter(jarOut),
                new java.io.PrintWriter(jarOut), "--create", "--no-compress", "--file", libs.toString(), "-C",
                SPARK_HOME.resolve("jars").toString(), ".");
        assertEquals(0, rc, jarOut.toString());
        dfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(JAR.toUri()), new org.apache.hadoop.fs.Path(fs + "/apps/spark-vae-cluster.jar"));
        dfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(libs.toUri()), new org.apache.hadoop.fs.Path(fs + "/spark/spark-libs.zip"));
        double once = (System.nanoTime() - t0) / 1e9;

        Path log = work.resolve("evaluate.log");
        List<String> args = loopback(readmeArguments("evaluate"));
        assertTrue(args.get(appJar(args)).startsWith(fs + "/apps/"), "the README's second submit uses the jar on HDFS: " + args);
        String out = await(sparkSubmit(args, log, Map.of()), log, 5);
        System.out.println(out);
        ApplicationReport app = report(out);
        assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(), out);
        // Nothing of the application's or Spark's jars was uploaded for it. The first submit (client deploy mode, whose
        // driver serves the application jar to its executors itself) zipped and uploaded Spark's jars.
        String train = Files.readString(work.resolve("train.log"));
        assertTrue(train.matches("(?s).*Uploading resource file:\\S*__spark_libs__\\d*\\.zip .*"),
                "the default submit stages Spark's jars: " + train);
        assertTrue(out.contains("Not copying " + fs + "/apps/spark-vae-cluster.jar") && out.contains("Not copying " + fs
                + "/spark/spark-libs.zip"), "both used where they are on HDFS: " + out);
        assertFalse(out.matches("(?s).*Uploading resource \\S*(spark-vae-cluster\\.jar|__spark_libs__|spark-libs\\.zip).*"),
                "nothing re-uploaded: " + out);
        System.out.printf(java.util.Locale.ROOT, "YarnClusterIT: YARN client staging, from 'Preparing resources' to "
                        + "'Submitting application': %.1f s for train (zips and uploads Spark's %d MB of jars), %.1f s"
                        + " for evaluate (cluster mode; the %d MB cluster jar and Spark's jars already on HDFS, where putting them once took %.1f s)%n",
                stagingSeconds(work.resolve("train.log")), Files.size(libs) >> 20, stagingSeconds(log), Files.size(JAR) >> 20, once);
        JsonNode onYarn;
        try (var in = hdfs.getFileSystem().open(new org.apache.hadoop.fs.Path(fs + "/runs/yarn-metrics.json"))) {
            onYarn = new ObjectMapper().readTree(in);
        }
        // The same model and data in one JVM, without Spark: z = mean of q(z|x), so the same number.
        Path local = Files.createDirectories(work.resolve("local"));
        hdfs.getFileSystem().copyToLocalFile(new org.apache.hadoop.fs.Path(fs + "/runs/yarn.zip"),
                new org.apache.hadoop.fs.Path(local.resolve("yarn.zip").toUri()));
        hdfs.getFileSystem().copyToLocalFile(new org.apache.hadoop.fs.Path(fs + "/runs/yarn.json"),
                new org.apache.hadoop.fs.Path(local.resolve("yarn.json").toUri()));
        String slice = Path.of(getClass().getResource("/mnist-slice").toURI()).toString();
        Path metrics = local.resolve("metrics.json");
        assertEquals(0, SparkVaeCli.execute("evaluate", "--single-jvm", "--no-sampling", "--data", slice,
                "--model", local.resolve("yarn.zip").toString(), "--out", metrics.toString(), "--no-progress"));
        JsonNode single = new ObjectMapper().readTree(metrics.toFile());
        assertEquals(500, onYarn.get("n").asInt(), onYarn.toString());
        double a = onYarn.get("test_neg_elbo").asDouble();
        double b = single.get("test_neg_elbo").asDouble();
        assertEquals(b, a, 1e-6 * Math.abs(b), "YARN " + onYarn + " vs single JVM " + single);
    }

    /**
     * The README's train line on rows of D = 12,000 values (JSON lines on HDFS) with executors of a 512 MB heap and
     * 1 MB of overhead: the network's 12.5 million parameters with their gradients and Adam moments (200 MB off-heap,
     * and as much again in the heap at every averaging round) do not fit, and the user gets one line that names the
     * setting to raise at the first failure, not Spark's task-loss trace after four new containers (before FailFast
     * handled it, Spark went on for minutes, through a second application attempt). The heap runs out first here. This
     * MiniYARNCluster did not enforce its physical-memory limit: with a 1 GB heap the executors reached 1,246 and
     * 1,291 MB resident (VmHWM) in 1,056 MB containers and were not killed, so YARN's kill line is checked against
     * Spark's own text in FailFastTest only.
     */
    @Test
    @Order(3)
    @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD) // in order
    void anExecutorTooSmallForTheModelFailsInOneLineNamingTheSetting() throws Exception {
        // JSON lines (any Spark source takes the place of IDX files), written without a SparkSession in this JVM.
        Path wide = Files.createDirectories(work.resolve("wide"));
        java.util.Random random = new java.util.Random(3);
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            rows.append("{\"features\":[");
            for (int j = 0; j < 12_000; j++) {
                rows.append(j == 0 ? "" : ",").append(random.nextInt(2)).append(".0"); // doubles: JSON integers are bigint
            }
            rows.append("]}\n");
        }
        Files.writeString(wide.resolve("rows.json"), rows);
        hdfs.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(wide.resolve("rows.json").toUri()),
                new org.apache.hadoop.fs.Path(fs + "/data/wide/rows.json"));
        List<String> readme = loopback(readmeArguments("train"));
        int at = appJar(readme);
        List<String> args = new ArrayList<>(readme.subList(0, at));
        args.addAll(List.of("--conf", "spark.executor.memory=512m", "--conf", "spark.executor.memoryOverhead=1m", JAR.toString(),
                "train", "--data", fs + "/data/wide", "--data-format", "json", "--model", fs + "/runs/wide.zip",
                "--workers", "2", "--epochs", "1", "--no-progress"));
        Path log = work.resolve("train-wide.log");
        Process p = sparkSubmit(args, log, Map.of());
        String out = await(p, log, 5);
        System.out.println("YarnClusterIT: executor peak RSS (VmHWM, MB) so far: " + EXECUTOR_PEAK_MB.values());
        assertEquals(1, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("spark-vae")).toList();
        assertTrue(!lines.isEmpty(), out);
        String last = lines.get(lines.size() - 1);
        System.out.println("YarnClusterIT: " + last);
        // Which limit it meets first depends on the JVM's heap sizing: YARN's (resident memory over 1g + 1m: a pmem kill)
        // or the heap's (the averaging round's parameters and Adam state: an OutOfMemoryError in the task). Either way one
        // line naming the setting to raise, at the first failure: not four new containers, then Spark's trace.
        assertTrue(last.matches("spark-vae train: error: (YARN killed executor \\S+ for exceeding its memory limit .*"
                        + "spark\\.executor\\.memoryOverhead.*|executor \\S+ ran out of Java heap .*spark\\.executor\\.memory .*)"),
                "the last line: " + last + "\n" + out);
        assertTrue(!out.contains("failed 4 times"), "not retried until Spark gives up: " + out);
        // The executors ran without Spark-on-YARN's `kill %p`, whose SIGTERM could beat the task's failure report.
        assertEquals(Set.of("-XX:OnOutOfMemoryError="), EXECUTOR_OOM_FLAGS, "executor OOM flags");
        assertFalse(hdfs.getFileSystem().exists(new org.apache.hadoop.fs.Path(fs + "/runs/wide.zip")), "no model written");
    }

    @Test
    @Order(4)
    @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD) // in order
    void everythingListensOnLoopbackOnly() {
        assertTrue(LISTENING.size() >= 6, "sampled sockets: " + LISTENING);
        assertTrue(LISTENING.stream().allMatch(ListeningSockets::isLoopback), "listening: " + LISTENING);
    }
}
