package org.sparkvae.backend;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses which of ND4J's CPU builds this JVM loads: the plain {@code linux-x86_64} build, or one of the
 * oneDNN builds ({@code -onednn-avx512}, {@code -onednn-avx2}, {@code -onednn}) when it is on the class path and
 * this CPU can run it. In the oneDNN builds libnd4j's own ops (the decoder's transposed convolutions, among others)
 * run oneDNN's kernels instead of its im2col path, which allocates and zeroes large column buffers per call: the CNN
 * trains 1.8-2.7x faster per core, the MLP about 1.1x (bench/README.md, "Now: ND4J's oneDNN build"). DL4J's own
 * ConvolutionLayer keeps its im2col path (its oneDNN helper is off by default in 1.0.0-M2.1, and slower here on).
 *
 * <p>JavaCPP picks the build from the system property {@code org.bytedeco.javacpp.platform.extension}, read once,
 * when ND4J first loads its native library (falling back to the plain build when the named one is absent), so
 * {@link #select()} must run before anything touches ND4J: the CLI calls it first thing, and on executors
 * {@link Plugin} (a Spark plugin, which Spark starts before an executor runs any task) calls it — each host
 * chooses for its own CPU, so a cluster of mixed CPUs is fine. A property the user set is left alone.
 *
 * <p>{@code SPARK_VAE_ND4J_BUILD} ({@code auto}, the default, or one of {@code plain}, {@code onednn},
 * {@code onednn-avx2}, {@code onednn-avx512}) overrides the choice; a build the CPU cannot run or the class path
 * does not hold is refused with one line rather than crashing on an illegal instruction.
 */
public final class NativeBuild {
    /** JavaCPP's property naming the build's classifier suffix. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String ENV = "SPARK_VAE_ND4J_BUILD";
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    /** The builds, fastest first, with the CPU flags each was compiled for. */
    public enum Build {
        ONEDNN_AVX512("onednn-avx512", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx2", "fma"),
        ONEDNN_AVX2("onednn-avx2", "avx2", "fma"),
        ONEDNN("onednn"),
        PLAIN("plain");

        private final String label;
        private final List<String> flags;

        Build(String label, String... flags) {
            this.label = label;
            this.flags = List.of(flags);
        }

        public String label() {
            return label;
        }

        /** JavaCPP's platform extension for this build ("" for the plain build). */
        public String extension() {
            return this == PLAIN ? "" : "-" + label;
        }

        /** The class-path resource only this build's jar holds. */
        String resource() {
            return BINDINGS + "linux-x86_64" + extension() + "/libjnind4jcpu.so";
        }

        boolean runsOn(Set<String> cpuFlags) {
            return cpuFlags.containsAll(flags);
        }

        static Build named(String label) {
            for (Build b : values()) {
                if (b.label.equals(label)) {
                    return b;
                }
            }
            throw new IllegalArgumentException(ENV + "=" + label + ": not an ND4J build (auto, "
                    + String.join(", ", Arrays.stream(values()).map(Build::label).toList()) + ")");
        }
    }

    private NativeBuild() { }

    /**
     * The build to load: {@code requested} ("auto" or null: the fastest one present that the CPU runs) on a CPU
     * with {@code cpuFlags}, given which builds' resources are {@code present}.
     */
    public static Build choose(String requested, Set<String> cpuFlags, Predicate<String> present) {
        if (requested == null || requested.isBlank() || requested.equals("auto")) {
            for (Build b : Build.values()) {
                if (b != Build.PLAIN && b.runsOn(cpuFlags) && present.test(b.resource())) {
                    return b;
                }
            }
            return Build.PLAIN;
        }
        Build b = Build.named(requested.trim().toLowerCase(Locale.ROOT));
        if (!b.runsOn(cpuFlags)) {
            throw new IllegalArgumentException(ENV + "=" + b.label + ": this CPU lacks " + String.join(", ",
                    b.flags.stream().filter(f -> !cpuFlags.contains(f)).toList()) + ", which that build needs");
        }
        if (b != Build.PLAIN && !present.test(b.resource())) {
            throw new IllegalArgumentException(ENV + "=" + b.label + ": that build is not on the class path (the jar "
                    + "holds the build named by the Maven property nd4j.onednn.classifier; rebuild with "
                    + "-Dnd4j.onednn.classifier=linux-x86_64-" + b.label + ")");
        }
        return b;
    }

    /**
     * Sets JavaCPP's build property for this JVM unless it is set already; returns the build chosen (or the one
     * the property names). Idempotent; call before ND4J loads. Not Linux x86-64: nothing to choose.
     */
    public static synchronized Build select() {
        String set = System.getProperty(PROPERTY);
        if (set != null) {
            return fromExtension(set);
        }
        if (!"linux".equalsIgnoreCase(System.getProperty("os.name")) || !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
            return Build.PLAIN;
        }
        Build b = forThisMachine(System.getenv(ENV));
        System.setProperty(PROPERTY, b.extension());
        return b;
    }

    /** {@link #choose} for this CPU and class path. */
    public static Build forThisMachine(String requested) {
        ClassLoader loader = NativeBuild.class.getClassLoader();
        return choose(requested, cpuFlags(), r -> loader.getResource(r) != null);
    }

    static Build fromExtension(String extension) {
        String e = extension.startsWith("-") ? extension.substring(1) : extension;
        return e.isEmpty() ? Build.PLAIN : Build.named(e);
    }

    /** The CPU's feature flags from /proc/cpuinfo (empty where there is none: only the plain build is chosen). */
    static Set<String> cpuFlags() {
        try {
            return flagsOf(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    static Set<String> flagsOf(List<String> cpuinfo) {
        for (String line : cpuinfo) {
            if (line.startsWith("flags")) {
                int colon = line.indexOf(':');
                return new HashSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
            }
        }
        return Set.of();
    }

    /**
     * Which build's native library this JVM actually loaded (the extension JavaCPP found), or empty before ND4J
     * loaded. For provenance and for the tests that check the choice took effect.
     */
    public static java.util.Optional<Build> loaded() {
        for (Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
            String path = String.valueOf(e.getValue());
            int i = path.indexOf(BINDINGS);
            if (i >= 0 && (path.endsWith("/libnd4jcpu.so") || path.endsWith("/libjnind4jcpu.so"))) {
                String dir = path.substring(i + BINDINGS.length(), path.indexOf('/', i + BINDINGS.length()));
                return java.util.Optional.of(fromExtension(dir.substring("linux-x86_64".length())));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * {@code spark.plugins} entry: selects each executor's build for its own host before it runs a task (and the
     * driver's, where the CLI has not already).
     */
    public static final class Plugin implements SparkPlugin {
        @Override
        public DriverPlugin driverPlugin() {
            return new DriverPlugin() {
                @Override
                public Map<String, String> init(org.apache.spark.SparkContext sc, PluginContext ctx) {
                    Denormals.applyHere();
                    NativeMalloc.apply();
                    select();
                    return Map.of();
                }
            };
        }

        @Override
        public ExecutorPlugin executorPlugin() {
            return new ExecutorPlugin() {
                @Override
                public void init(PluginContext ctx, Map<String, String> extraConf) {
                    // Here too, though init runs on another thread than the tasks: threads that a library starts
                    // while this thread loads it (OpenBLAS's pool) inherit its MXCSR.
                    Denormals.applyHere();
                    // Before the first task allocates: freed large buffers are unmapped at once (NativeMalloc).
                    NativeMalloc.apply();
                    Build b;
                    try {
                        b = select();
                    } catch (IllegalArgumentException e) {
                        // The driver refused a build its own host cannot give; this host differs. A throw here would
                        // kill the executor and Spark would start it again and again: take the build every CPU runs.
                        org.slf4j.LoggerFactory.getLogger(NativeBuild.class).error("spark-vae: {}; this executor uses the plain build",
                                e.getMessage());
                        System.setProperty(PROPERTY, Build.PLAIN.extension());
                        b = Build.PLAIN;
                    }
                    // (not ctx.hostname(): an executor's RpcEnv has no address, and Spark's getter throws there.) An
                    // embedded master's "executor" is the CLI's own JVM, which chose already: no line on its console.
                    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NativeBuild.class);
                    String line = "spark-vae: ND4J build {} on executor {}";
                    if ("driver".equals(ctx.executorID())) {
                        log.debug(line, b.label(), ctx.executorID());
                    } else {
                        log.info(line, b.label(), ctx.executorID());
                    }
                }

                /**
                 * Spark calls this on the task's own thread just before the task runs (Executor.TaskRunner), with
                 * no native frame in between: the one place a task thread of any Spark program with this plugin
                 * can be given FTZ/DAZ (Denormals).
                 */
                @Override
                public void onTaskStart() {
                    Denormals.applyHere();
                }
            };
        }
    }
}
