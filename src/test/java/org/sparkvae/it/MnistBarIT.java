package org.sparkvae.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.RealData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation's bar, run exactly as a user runs it: the README's main job through
 * {@code submit/spark-vae} (its JVM flags and BLAS choice), on real MNIST thresholded at 0.5, M=10,
 * batch 128, 10 epochs, default seed: test -ELBO at most 88.25 nats (PyTorch implementation: 87.75).
 */
class MnistBarIT {
    @TempDir
    Path dir;

    private static String launch(Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().remove("OMP_NUM_THREADS");
        Process p = pb.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "timed out: " + command);
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void tenEpochsReachTheReference() throws Exception {
        String data = RealData.mnist().toString();
        Path model = dir.resolve("m10.zip");
        String train = launch(dir.resolve("train.log"), "train", "--data", data, "--model", model.toString(),
                "--latent-dim", "10", "--epochs", "10", "--batch-size", "128", "--no-progress");
        System.out.println(train);
        Path metrics = dir.resolve("metrics.json");
        launch(dir.resolve("eval.log"), "evaluate", "--model", model.toString(), "--data", data,
                "--out", metrics.toString(), "--no-progress");
        JsonNode m = new ObjectMapper().readTree(metrics.toFile());
        System.out.println("MnistBarIT: " + m);
        assertEquals(10_000, m.get("n").asInt());
        double negElbo = m.get("test_neg_elbo").asDouble();
        assertTrue(negElbo <= 88.25, "test -ELBO " + negElbo + " > 88.25");
        // The KL term of this model sits around 20 nats (science.md); far off means a broken prior term.
        double kl = m.get("test_kl").asDouble();
        assertTrue(kl > 10 && kl < 35, "KL " + kl);
    }
}
