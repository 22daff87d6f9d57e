package org.sparkvae.it;

import org.sparkvae.data.RealData;

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
 * The README's jobs as a newcomer runs them: {@code submit/spark-vae} from a directory holding {@code data/mnist}
 * (real MNIST) and {@code runs/}, the default heap, relative paths, no OMP_NUM_THREADS, each job in its own JVM
 * whose peak resident memory (VmHWM, printed at exit through SPARK_VAE_PEAK_RSS) is returned. A watchdog stops a
 * job by PID above 8 GB, before the machine's OOM killer would.
 *
 * <p>The README's main model ({@code train --model runs/m10.zip}: M=10, 10 epochs, batch 128 on all 60,000
 * images) is trained once per test JVM and shared by MnistBarIT (its quality), JobMemoryIT (every job's memory)
 * and ReportIT (the report of a real run), and so are its projection and report: failsafe runs the IT classes one after another in one JVM, and three
 * trainings of the same model cost the clean-clone CI about 3 minutes on AMD (more on Intel) for nothing new.
 */
final class ReadmeJobs {
    static final Path WORK = Path.of("target", "it-readme").toAbsolutePath();
    static final String MODEL = "runs/m10.zip";
    private static final long WATCHDOG_MB = 8 * 1024;
    private static final Pattern PEAK = Pattern.compile("spark-vae: peak resident memory (\\d+) MB \\(VmHWM\\)");
    private static final java.util.Map<String, Job> done = new java.util.HashMap<>();
    private static boolean prepared;

    /** One finished job: its whole output and its JVM's peak resident memory. */
    record Job(String name, String out, long peakMb) {
    }

    private ReadmeJobs() {
    }

    /** The README's main training job, run at most once per JVM; later callers get the same run. */
    static Job mainModel() throws IOException, InterruptedException {
        Job train = once("train", "train", "--model", MODEL, "--no-progress");
        assertTrue(Files.exists(WORK.resolve(MODEL)), train.out());
        return train;
    }

    /** The README's report of the main model ({@code runs/m10-report}), run at most once per JVM. */
    static Job report() throws IOException, InterruptedException {
        mainModel();
        return once("report", "report", "--model", MODEL, "--out", "runs/m10-report", "--no-progress");
    }

    /** The README's projection of the main model ({@code runs/m10-projection}), run at most once per JVM. */
    static Job project() throws IOException, InterruptedException {
        mainModel();
        return once("project", "project", "--model", MODEL, "--out", "runs/m10-projection", "--no-progress");
    }

    private static synchronized Job once(String name, String... args) throws IOException, InterruptedException {
        Job job = done.get(name);
        if (job == null) {
            job = run(name, args);
            done.put(name, job);
        }
        return job;
    }

    static Path path(String relative) {
        return WORK.resolve(relative);
    }

    /** Runs one {@code submit/spark-vae} job in the README's working directory; fails on a non-zero exit. */
    static synchronized Job run(String name, String... args) throws IOException, InterruptedException {
        if (!prepared) { // a fresh directory per test JVM: an earlier build's runs/ would make train refuse
            if (Files.exists(WORK)) {
                try (var walk = Files.walk(WORK)) {
                    for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            Files.createDirectories(WORK.resolve("data"));
            Files.createDirectories(WORK.resolve("runs"));
            Files.createSymbolicLink(WORK.resolve("data").resolve("mnist"), RealData.mnist());
            prepared = true;
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path log = WORK.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put("SPARK_VAE_PEAK_RSS", "1");
        pb.environment().remove("SPARK_VAE_JAVA_MEM"); // the default heap
        pb.environment().remove("OMP_NUM_THREADS"); // a user's shell has none
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        // submit/spark-vae execs java: the child's PID is the JVM's
        while (!p.waitFor(2, TimeUnit.SECONDS)) {
            long rss = rssMb(p.pid());
            if (rss > WATCHDOG_MB || System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                fail(name + ": stopped at " + rss + " MB resident (watchdog " + WATCHDOG_MB + " MB) or 20 minutes:\n" + tail(log));
            }
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        Matcher m = PEAK.matcher(out);
        assertTrue(m.find(), out);
        long peak = Long.parseLong(m.group(1));
        int end = out.indexOf('\n', m.start());
        System.out.println("ReadmeJobs: " + name + ": " + out.substring(m.start(), end < 0 ? out.length() : end).strip());
        return new Job(name, out, peak);
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

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
