package org.sparkvae.spark;

import org.sparkvae.io.OptionException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sparkvae.backend.NativeBuild;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.io.WorkDirs;

/**
 * Builds the SparkSession of a job. Under spark-submit the master and settings come from it; run
 * directly, {@code --master} picks one ({@code local[*]}: an embedded Spark in this JVM). Kryo with
 * ND4J's registrator serialises the arrays DL4J ships between driver and executors.
 *
 * <p>Nothing listens off loopback unasked: with a local or loopback master the driver and its block
 * manager bind to 127.0.0.1, and the UI (which Spark binds to {@code SPARK_LOCAL_IP}, else to every
 * interface) is off unless {@code SPARK_LOCAL_IP} says where it may listen. A remote master binds where
 * Spark would; that is what asking otherwise means.
 */
public final class SparkSessions {
    private static final Pattern STANDALONE_HOST = Pattern.compile("spark://(\\[[^]]*]|[^:/,]+)(:\\d+)?.*");

    private SparkSessions() { }

    public static SparkSession create(String appName, String master) {
        return create(appName, master, java.util.Map.of());
    }

    /**
     * The session, with Spark's settings in spark-submit's order of precedence: {@code given} (the command line's
     * {@code --conf}) over {@code spark.*} system properties over {@code spark-defaults.conf} (read here only when
     * spark-submit did not: from {@code $SPARK_CONF_DIR}, which {@code submit/spark-vae} points at {@code conf/}
     * unless set) over spark-vae's own defaults below.
     */
    public static SparkSession create(String appName, String master, java.util.Map<String, String> given) {
        SparkConf conf = new SparkConf(true);
        if (System.getProperty("SPARK_SUBMIT") == null) {
            for (java.util.Map.Entry<String, String> e : defaultsFile(System.getenv("SPARK_CONF_DIR")).entrySet()) {
                conf.setIfMissing(e.getKey(), e.getValue());
            }
        }
        given.forEach(conf::set);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        String url = conf.get("spark.master");
        boolean local = url.startsWith("local");
        // SparkSubmit sets this property; without it (and without spark.jars) the executors of a cluster
        // never get the application's classes and every task fails four times with ClassNotFound.
        // YARN cluster deploy mode: the ApplicationMaster runs this driver (not SparkSubmit), sets
        // spark.submit.deployMode=cluster and spark.yarn.app.id, and ships the jar as every container's __app__.jar.
        boolean yarnCluster = conf.contains("spark.yarn.app.id") && "cluster".equals(conf.get("spark.submit.deployMode", ""));
        if (!local && !yarnCluster && System.getProperty("SPARK_SUBMIT") == null && !conf.contains("spark.jars")) {
            throw new OptionException("{master} %s: a cluster's executors need the application jar; run it through "
                    + "submit/spark-submit.sh --master %s SUBCOMMAND ...", url, url);
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", ompThreads(conf));
        // Each executor chooses its ND4J build (oneDNN where its CPU runs it) before its first task; a user's own
        // plugins are kept.
        String plugins = conf.get("spark.plugins", "");
        String ours = NativeBuild.Plugin.class.getName();
        if (!java.util.Arrays.asList(plugins.split(",")).contains(ours)) {
            conf.set("spark.plugins", plugins.isBlank() ? ours : plugins + "," + ours);
        }
        // Spark on YARN gives every executor -XX:OnOutOfMemoryError='kill %p' unless a flag of that name is already
        // there (YarnSparkHadoopUtil.addOutOfMemoryErrorArgument). That SIGTERM races the task's own failure report, and
        // when it wins the user gets Spark's retries and words instead of our line naming spark.executor.memory.
        // conf/spark-defaults.conf gives the empty flag (no command), but a user's own spark.executor.extraJavaOptions
        // replaces that file's value, so the flag is added back here, before any executor starts (YARN's allocator
        // reads this context's conf in client and cluster deploy mode alike).
        conf.set(EXECUTOR_JAVA_OPTIONS, withoutOomKill(conf.get(EXECUTOR_JAVA_OPTIONS, "")));
        String build = System.getenv(NativeBuild.ENV);
        if (build != null) {
            conf.setIfMissing("spark.executorEnv." + NativeBuild.ENV, build);
        }
        if (local || isLoopback(url)) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            if (local || System.getenv("SPARK_LOCAL_IP") == null) {
                conf.setIfMissing("spark.ui.enabled", "false");
            }
        }
        if (local && !conf.contains("spark.local.dir") && System.getenv("SPARK_LOCAL_DIRS") == null) {
            // An embedded Spark's own scratch (block and shuffle files, normally /tmp/blockmgr-* and /tmp/spark-*,
            // which a SIGKILL leaves behind) goes into one of our work directories: the next spark-vae job on this
            // host removes a killed run's (WorkDirs), and this JVM removes its own when it exits.
            try {
                java.nio.file.Path scratch = WorkDirs.create("spark");
                conf.set("spark.local.dir", scratch.toString());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> org.apache.commons.io.FileUtils.deleteQuietly(scratch.toFile())));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create Spark's scratch directory: " + e.getMessage(), e);
            }
        }
        if (conf.getBoolean("spark.eventLog.enabled", false)) {
            // Spark refuses a missing event-log directory; create the one the user named (not a default guess).
            String dir = conf.get("spark.eventLog.dir", "/tmp/spark-events");
            try {
                HadoopFiles.mkdirs(dir);
            } catch (java.io.IOException e) {
                throw OptionException.causedBy(e, "{eventLog} %s: %s", dir, e.getMessage());
            }
        }
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        FailFast.install(session.sparkContext()); // a data error ends the job at its first failure, without retries
        return session;
    }

    static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";
    private static final String NO_OOM_COMMAND = "-XX:OnOutOfMemoryError=";

    /** {@code options} with an empty {@code -XX:OnOutOfMemoryError=} appended, unless they already give that flag. */
    static String withoutOomKill(String options) {
        if (options.contains("-XX:OnOutOfMemoryError")) {
            return options; // the user's own command (or ours) stands
        }
        return options.isBlank() ? NO_OOM_COMMAND : options.strip() + " " + NO_OOM_COMMAND;
    }

    /**
     * Stops a session this program started. Spark's own teardown has a race that prints an ERROR with a stack trace
     * after a failed job: an executor's status update for a task the cancelled stage killed can arrive after the
     * driver's {@code CoarseGrainedScheduler} endpoint is gone, and {@code TransportRequestHandler} logs "Could not find
     * CoarseGrainedScheduler" (seen in LocalClusterIT on a clean-clone CI run, 2026-12-06). Nothing can be lost by then:
     * the job's result or error is already decided, and the user's one error line follows. So that logger is silent for
     * the stop only, and is restored after it (the RPC environment is shut down when {@code stop} returns).
     */
    public static void stop(SparkSession session) {
        String name = "org.apache.spark.network.server.TransportRequestHandler";
        org.apache.logging.log4j.Level before = org.apache.logging.log4j.LogManager.getLogger(name).getLevel();
        boolean silenced = setLevel(name, org.apache.logging.log4j.Level.OFF);
        try {
            session.stop();
        } finally {
            if (silenced) {
                setLevel(name, before);
            }
        }
    }

    /** False where log4j2's core is not the logging backend (a host program's own logging): the stop is then as Spark's. */
    private static boolean setLevel(String logger, org.apache.logging.log4j.Level level) {
        try {
            org.apache.logging.log4j.core.config.Configurator.setLevel(logger, level);
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * ND4J's OpenMP threads on an executor, unless set: one per CPU a task holds ({@code spark.task.cpus}, default 1).
     * OpenMP and the BLAS size their pools per process, so only an executor whose tasks each hold N cores
     * ({@code spark.executor.cores} = {@code spark.task.cpus} = N: one task at a time) can give a task N threads
     * ({@code submit/spark-submit.sh --threads-per-task N}). A {@code local[N]} master runs its tasks in the driver's
     * process, whose thread count is fixed when it starts ({@code OMP_NUM_THREADS} of the launcher).
     */
    static String ompThreads(SparkConf conf) {
        return String.valueOf(Math.max(1, conf.getInt("spark.task.cpus", 1)));
    }

    /**
     * The {@code spark.*} settings of {@code DIR/spark-defaults.conf} (Java properties syntax, as spark-submit reads
     * it; values trimmed), or none when the directory or file does not exist.
     */
    static java.util.Map<String, String> defaultsFile(String confDir) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        if (confDir == null || confDir.isEmpty()) {
            return out;
        }
        java.nio.file.Path file = java.nio.file.Path.of(confDir, "spark-defaults.conf");
        if (!java.nio.file.Files.isRegularFile(file)) {
            return out;
        }
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot read Spark's defaults: " + e.getMessage(), e);
        }
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("spark.")) {
                out.put(k, p.getProperty(k).trim());
            }
        }
        return out;
    }

    /** Whether a standalone master URL names this machine's loopback interface. */
    public static boolean isLoopback(String masterUrl) {
        Matcher m = STANDALONE_HOST.matcher(masterUrl);
        if (!m.matches()) {
            return false;
        }
        String host = m.group(1);
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("[::1]");
    }
}
