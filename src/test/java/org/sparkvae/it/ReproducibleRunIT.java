package org.sparkvae.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.backend.NativeBuild;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's default path (train on the embedded Spark, then evaluate, default seed), run twice in two
 * JVMs: the metrics files, the saved weights and Adam state and the evaluation repeat byte for byte. Only
 * the wall-clock columns (seconds, samples/s) may differ. While it trains, its JVM listens on loopback only.
 */
class ReproducibleRunIT {
    /** Column of the train -ELBO in the metrics CSV. */
    private static final int TRAIN_NEG_ELBO = 1;
    private static final String DATA = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();

    @TempDir
    Path dir;

    /** Runs a command; returns every listening socket its process had while it ran (polled). */
    private static java.util.Set<String> run(Path log, String... args) throws Exception {
        return run(java.util.Map.of(), log, args);
    }

    private static java.util.Set<String> run(java.util.Map<String, String> env, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().remove(org.sparkvae.backend.NativeBuild.ENV);
        pb.environment().putAll(env);
        Process p = pb.start();
        java.util.Set<String> listening = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!p.waitFor(300, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            listening.addAll(ListeningSockets.of(ListeningSockets.tree(p.pid())));
        }
        assertTrue(p.waitFor(1, TimeUnit.SECONDS), "timed out");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return listening;
    }

    /** The CSV without its two timing columns (the last two). */
    private static List<String> untimed(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> l.replaceAll(",[^,]*,[^,]*$", "")).toList();
    }

    private static byte[] entry(Path zip, String name) throws Exception {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(name)).readAllBytes();
        }
    }

    @Test
    void seededDefaultPathRepeatsBitForBit() throws Exception {
        JsonNode[] eval = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path model = dir.resolve("run" + i + ".zip");
            // The default seed (0), which ND4J alone does not honour (Nd4jSeeds).
            java.util.Set<String> listening = run(dir.resolve("train" + i + ".log"), "train", "--data", DATA, "--epochs", "2",
                    "--model", model.toString(), "--no-progress");
            // The embedded Spark's driver listens (RPC, block manager), on loopback only.
            assertFalse(listening.isEmpty(), "the socket probe saw the embedded driver listen");
            assertTrue(listening.stream().allMatch(ListeningSockets::isLoopback), "listening off loopback: " + listening);
            Path out = dir.resolve("run" + i + ".metrics.json");
            run(dir.resolve("eval" + i + ".log"), "evaluate", "--data", DATA, "--model", model.toString(),
                    "--out", out.toString(), "--iwae", "5", "--iwae-images", "200", "--no-progress");
            eval[i] = new ObjectMapper().readTree(out.toFile());
        }
        List<String> a = untimed(dir.resolve("run0.metrics.csv"));
        assertEquals(3, a.size(), "header and two epochs: " + a);
        assertEquals(a, untimed(dir.resolve("run1.metrics.csv")));
        assertArrayEquals(entry(dir.resolve("run0.zip"), "coefficients.bin"), entry(dir.resolve("run1.zip"), "coefficients.bin"));
        assertArrayEquals(entry(dir.resolve("run0.zip"), "updaterState.bin"), entry(dir.resolve("run1.zip"), "updaterState.bin"));
        for (String key : List.of("test_neg_elbo", "test_recon", "test_kl", "test_nll_iwae")) {
            assertEquals(eval[0].get(key).asText(), eval[1].get(key).asText(), key);
        }
        // Both runs did their arithmetic in the ND4J build chosen for this machine (oneDNN on an AVX-512 CPU), and
        // said so in the model's provenance.
        NativeBuild.Build expected = NativeBuild.forThisMachine("auto");
        assertEquals(expected.label(), versions(dir.resolve("run0.json")).get("nd4j_build").asText());
        assertEquals(expected.label(), eval[0].get("versions").get("nd4j_build").asText());

        // The plain build, asked for by name: it loads, trains and records itself; its numbers are its own (oneDNN's
        // kernels round differently) but the same model to a fraction of a nat after two epochs on the slice.
        Path plain = dir.resolve("plain.zip");
        run(java.util.Map.of(NativeBuild.ENV, "plain"), dir.resolve("plain.log"), "train", "--data", DATA, "--epochs", "2",
                "--model", plain.toString(), "--no-progress");
        assertEquals("plain", versions(dir.resolve("plain.json")).get("nd4j_build").asText());
        double a2 = Double.parseDouble(a.get(2).split(",")[TRAIN_NEG_ELBO]);
        double p2 = Double.parseDouble(untimed(dir.resolve("plain.metrics.csv")).get(2).split(",")[TRAIN_NEG_ELBO]);
        assertEquals(a2, p2, 1.0, "train -ELBO of epoch 2, " + expected.label() + " vs plain");
        // A build this machine cannot give is refused with one line, before anything runs.
        Path log = dir.resolve("refused.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of("submit", "spark-vae").toAbsolutePath().toString(), "train", "--data", DATA,
                "--model", dir.resolve("never.zip").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().put(NativeBuild.ENV, "mkl");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue());
        assertEquals(List.of("spark-vae: error: SPARK_VAE_ND4J_BUILD=mkl: not an ND4J build (auto, onednn-avx512, onednn-avx2, onednn, plain)"),
                Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList());
        assertFalse(Files.exists(dir.resolve("never.zip")));
    }

    private static JsonNode versions(Path json) throws Exception {
        return new ObjectMapper().readTree(json.toFile()).get("versions");
    }
}
