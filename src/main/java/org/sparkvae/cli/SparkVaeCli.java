package org.sparkvae.cli;

import org.sparkvae.io.NamedOptions;
import org.sparkvae.io.Provenance;
import org.sparkvae.backend.CudaPreflight;
import org.sparkvae.backend.NvidiaSmi;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import org.sparkvae.backend.Denormals;
import org.sparkvae.backend.NativeBuild;
import org.sparkvae.backend.NativeMalloc;
import org.sparkvae.spark.FailFast;

/** Entry point: {@code spark-vae SUBCOMMAND [options]}. Errors print one line and exit non-zero. */
@Command(name = "spark-vae", mixinStandardHelpOptions = true, versionProvider = SparkVaeCli.Version.class,
        description = "Variational autoencoders on MNIST with Deeplearning4j (and Apache Spark).",
        subcommands = {FetchDataCommand.class, TrainCommand.class, EvaluateCommand.class, SampleCommand.class,
                PpcaCommand.class, ProjectCommand.class, ReportCommand.class, SweepCommand.class, DataStatsCommand.class,
                GpuCheckCommand.class})
public final class SparkVaeCli implements Runnable {
    /** Exit status of a run that failed on bad input or a failed job. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status of a command line that could not be parsed. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    public static void main(String[] args) {
        int status = run(args);
        if (System.getenv(PEAK_RSS_ENV) != null) {
            // For the memory budgets (bench/README.md, MemoryBudgetIT): the kernel's own peak, read by this process.
            // With the heap's bound beside it: a run whose garbage collector grew the heap from one whose native memory grew.
            System.err.println("spark-vae: peak resident memory " + peakResidentMegabytes() + " MB (VmHWM), Java heap committed "
                    + "at most " + peakHeapCommittedMegabytes() + " MB");
        }
        // YARN cluster deploy mode: the ApplicationMaster calls this main on a thread of its own and reports the
        // application's final status when it returns; System.exit would run the shutdown hooks first, and YARN would
        // record FAILED ("Shutdown hook called before final status was reported") for a job that succeeded.
        if ("cluster".equals(System.getProperty("spark.submit.deployMode")) && System.getProperty("spark.yarn.app.id") != null) {
            if (status != 0) {
                throw new IllegalStateException("spark-vae exited with status " + status + " (its error line is above)");
            }
            return;
        }
        System.exit(status);
    }

    /** Set: the CLI prints its process's peak resident memory (VmHWM) as it exits. */
    public static final String PEAK_RSS_ENV = "SPARK_VAE_PEAK_RSS";

    /** This process's peak resident set (VmHWM of /proc/self/status) in MB, or -1 where there is none. */
    public static long peakResidentMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * An upper bound of the Java heap's share of the peak resident memory, in MB: the sum of each heap pool's peak
     * committed size. It overstates (the pools peak at different times, and committed pages are resident only once
     * touched), but when VmHWM varies between runs of one job it tells whether the heap could be why.
     */
    public static long peakHeapCommittedMegabytes() {
        long bytes = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getCommitted();
            }
        }
        return bytes >> 20;
    }

    /**
     * What {@code main} does before its exit: the JVM-wide set-up every command needs (subnormals, ND4J build, GPU
     * preflight), then the command. Returns the exit status (tests call it on their own thread).
     */
    public static int run(String... args) {
        // First, on the thread that will compute and before ND4J loads (so BLAS/OpenMP threads inherit it): flush
        // subnormal floats (Denormals; SPARK_VAE_DENORMALS=keep keeps them).
        Denormals.applyHere();
        // Large freed native buffers go back to the system at once (NativeMalloc; the IWAE loop grew without it).
        NativeMalloc.apply();
        // Before anything loads ND4J: which native build (oneDNN or plain) this CPU gets (NativeBuild).
        try {
            NativeBuild.select();
        } catch (IllegalArgumentException e) {
            System.err.println("spark-vae: error: " + e.getMessage());
            return EXIT_FAILURE;
        }
        // With the CUDA build, refuse unsupported GPUs before anything loads ND4J's native backend,
        // which would otherwise die deep inside ("no kernel image is available for execution").
        boolean selfCheck = args.length > 0 && (args[0].equals("gpu-check") || args[0].equals("fetch-data") || args[0].startsWith("-"));
        if (!selfCheck && CudaPreflight.cudaBackendOnClasspath()) {
            try {
                CudaPreflight.Verdict v = CudaPreflight.check(NvidiaSmi.query());
                if (!v.ok()) {
                    System.err.println("spark-vae: error: " + v.message());
                    return EXIT_FAILURE;
                }
            } catch (java.io.IOException | IllegalArgumentException e) {
                System.err.println("spark-vae: error: GPU preflight failed: " + e.getMessage());
                return EXIT_FAILURE;
            }
        }
        return execute(args);
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, with error lines going to {@code err}. */
    public static int execute(PrintWriter err, String... args) {
        FailFast.forgetMemoryKill();
        CommandLine cl = new CommandLine(new SparkVaeCli());
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            if (ex.getCause() instanceof OptionConverters.OptionValueException bad) {
                // A value our converters refused: one line in our words, exit status 1 as for any bad value.
                ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": error: " + bad.getMessage());
                return EXIT_FAILURE;
            }
            ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": error: " + ex.getMessage()
                    + " (see " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: " + describe(ex));
            if (System.getenv("SPARK_VAE_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    /** The flag of each model setting: library errors name settings, the user reads flags. */
    static final java.util.Map<String, String> FLAGS = java.util.Map.ofEntries(java.util.Map.entry("latentDim", "--latent-dim"),
            java.util.Map.entry("learningRate", "--learning-rate"), java.util.Map.entry("prior", "--prior"),
            java.util.Map.entry("components", "--components"), java.util.Map.entry("likelihood", "--likelihood"),
            java.util.Map.entry("fixedVariance", "--variance"), java.util.Map.entry("arch", "--arch"), java.util.Map.entry("levels", "--levels"),
            java.util.Map.entry("count", "--count"), java.util.Map.entry("epochs", "--epochs"), java.util.Map.entry("batchSize", "--batch-size"),
            java.util.Map.entry("averagingFrequency", "--averaging-frequency"), java.util.Map.entry("workers", "--workers"),
            java.util.Map.entry("iwaeK", "--iwae"), java.util.Map.entry("iwaeImages", "--iwae-images"),
            java.util.Map.entry("maxConfigs", "--max-configs"));

    /**
     * What the library calls the run options its messages name in backticks ({@code pass `overwrite` to replace it}),
     * as this CLI's flags; the model settings' bare names ({@link #FLAGS}) too.
     */
    static final java.util.Map<String, String> OPTIONS = options();

    private static java.util.Map<String, String> options() {
        java.util.Map<String, String> m = new java.util.HashMap<>(FLAGS);
        m.putAll(java.util.Map.of("overwrite", "--overwrite", "resume", "--resume", "model", "--model", "out", "--out",
                "samples", "--samples", "sweep", "--sweep", "master", "--master", "eventLog", "--event-log", "data", "--data",
                "seed", "--seed"));
        m.putAll(java.util.Map.of("dataFormat", "--data-format", "testData", "--test-data", "imageShape", "--image-shape",
                "singleJvm", "--single-jvm"));
        return java.util.Map.copyOf(m);
    }

    private static final java.util.regex.Pattern NAMED_OPTION = java.util.regex.Pattern.compile("`(\\w+)`");

    /**
     * {@code `overwrite`} -> {@code --overwrite} for the names in {@link #OPTIONS}; other backticked text stays. Only for
     * text that lost its names on the way: an error of ours raised on an executor reaches the driver as Spark's text.
     */
    static String inFlags(String msg) {
        java.util.regex.Matcher m = NAMED_OPTION.matcher(msg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String flag = OPTIONS.get(m.group(1));
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(flag != null ? flag : m.group()));
        }
        return m.appendTail(out).toString();
    }

    /** One line for the user: the deepest message that says something. */
    static String describe(Throwable ex) {
        // A Spark job on YARN whose executor was killed for exceeding its memory limit ends in Spark's words ("Job
        // cancelled", "SparkContext was shut down", "ExecutorLostFailure ...") whichever way it ended: the kill is why.
        String killed = FailFast.lastMemoryKill();
        if (killed != null) {
            return killed;
        }
        // A Spark job that failed on bad data (a damaged Parquet file, say): the data error's own line, not
        // Spark's "Job aborted due to stage failure: Task 1 in stage 0.0 failed 1 times ..." wrapper.
        if (ex.getClass().getName().startsWith("org.apache.spark.")) {
            String data = FailFast.dataError(ex);
            if (data != null) {
                return inFlags(data.lines().findFirst().orElse(data));
            }
        }
        Throwable t = ex;
        while (t instanceof java.io.UncheckedIOException || (t.getMessage() == null && t.getCause() != null)) {
            t = t.getCause();
        }
        if (t instanceof NamedOptions named) {
            // The library's own errors name their settings and options as data: rendered as flags, no text rewritten.
            String msg = named.messageIn(OPTIONS);
            return msg.lines().findFirst().orElse(msg);
        }
        String msg = FailFast.message(t.getMessage());
        if (t instanceof java.nio.file.NoSuchFileException && msg != null && !msg.contains(":")) {
            msg = msg + ": no such file or directory";
        }
        // Text without names as data: Spark's, Hadoop's, or one of ours that crossed from an executor as text.
        return msg == null ? t.getClass().getSimpleName() : inFlags(msg.lines().findFirst().orElse(msg));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"spark-vae " + Provenance.versions()};
        }
    }
}
