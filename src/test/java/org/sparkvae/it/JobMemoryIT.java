package org.sparkvae.it;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's jobs on the default path (submit/spark-vae, embedded Spark, the default 4 GB heap, data/mnist
 * relative to the working directory) each in its own JVM, whose peak resident memory (VmHWM, printed at exit
 * through SPARK_VAE_PEAK_RSS) stays within heap + 2 GB. Before NativeMalloc and the loss-terms workspace,
 * {@code evaluate --iwae 100} passed 9.7 GB within 40 s: a watchdog stops a job by PID above 8 GB, before the
 * machine's OOM killer would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobMemoryIT {
    /** The stated budget: the default heap (4 GB) + 2 GB for ND4J's native memory, Spark and the JVM itself. */
    static final long BUDGET_MB = 6 * 1024;
    private static final long WATCHDOG_MB = 8 * 1024;
    private static final Pattern PEAK = Pattern.compile("spark-vae: peak resident memory (\\d+) MB \\(VmHWM\\)");

    @TempDir
    static Path dir;

    private static long job(String name, String... args) throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        if (!Files.exists(data)) {
            Files.createDirectories(data);
            Files.createSymbolicLink(data.resolve("mnist"), org.sparkvae.data.RealData.mnist());
            Files.createDirectories(dir.resolve("runs"));
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_PEAK_RSS", "1");
        pb.environment().remove("SPARK_VAE_JAVA_MEM"); // the default heap
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        // submit/spark-vae execs java: the child's PID is the JVM's
        while (!p.waitFor(2, TimeUnit.SECONDS)) {
            long rss = rssMb(p.pid());
            if (rss > WATCHDOG_MB || System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                fail(name + ": stopped at " + rss + " MB resident (watchdog " + WATCHDOG_MB + " MB) or 15 minutes:\n" + tail(log));
            }
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        Matcher m = PEAK.matcher(out);
        assertTrue(m.find(), out);
        long peak = Long.parseLong(m.group(1));
        System.out.println("JobMemoryIT: " + name + " peak resident memory " + peak + " MB");
        assertTrue(peak <= BUDGET_MB, name + ": peak resident memory " + peak + " MB over the " + BUDGET_MB + " MB budget\n" + tail(log));
        return peak;
    }

    private static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // the process has just ended
        }
        return 0;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    @Test
    @Order(1)
    void trainOneEpoch() throws Exception {
        job("train", "train", "--epochs", "1", "--model", "runs/m.zip", "--no-progress");
    }

    @Test
    @Order(2)
    void evaluateWithIwae100OnTheWholeTestSet() throws Exception {
        job("evaluate", "evaluate", "--model", "runs/m.zip", "--iwae", "100", "--out", "runs/m-metrics.json", "--no-progress");
        com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("runs").resolve("m-metrics.json").toFile());
        assertEquals(10_000, m.get("n").asInt(), m.toString());
        assertTrue(m.toString().contains("iwae"), "an IWAE estimate in " + m);
    }

    @Test
    @Order(3)
    void project() throws Exception {
        job("project", "project", "--model", "runs/m.zip", "--out", "runs/projection", "--no-progress");
        assertTrue(Files.exists(dir.resolve("runs").resolve("projection").resolve("latent-pca.png")));
    }

    @Test
    @Order(4)
    void report() throws Exception {
        job("report", "report", "--model", "runs/m.zip", "--out", "runs/report", "--no-progress");
        assertTrue(Files.exists(dir.resolve("runs").resolve("report").resolve("report.html")));
    }
}
