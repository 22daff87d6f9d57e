package org.sparkvae.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.cli.SparkVaeCli;
import org.sparkvae.data.RealData;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation's bar, through the CLI: real MNIST thresholded at 0.5, M=10, batch 128, 10 epochs:
 * test -ELBO at most 88.25 nats (the PyTorch implementation of the same model: 87.75).
 */
class MnistBarIT {
    @TempDir
    Path dir;

    @Test
    void tenEpochsReachTheReference() throws Exception {
        String data = RealData.mnist().toString();
        Path model = dir.resolve("m10.zip");
        assertEquals(0, SparkVaeCli.execute("train", "--data", data, "--model", model.toString(), "--latent-dim", "10",
                "--epochs", "10", "--batch-size", "128", "--seed", "0", "--no-progress"));
        Path metrics = dir.resolve("metrics.json");
        assertEquals(0, SparkVaeCli.execute("evaluate", "--model", model.toString(), "--data", data,
                "--out", metrics.toString(), "--no-progress"));
        JsonNode m = new ObjectMapper().readTree(metrics.toFile());
        System.out.println("MnistBarIT: " + m.toString());
        assertEquals(10_000, m.get("n").asInt());
        double negElbo = m.get("test_neg_elbo").asDouble();
        assertTrue(negElbo <= 88.25, "test -ELBO " + negElbo + " > 88.25");
        // The KL term of this model sits around 20 nats (science.md); far off means a broken prior term.
        double kl = m.get("test_kl").asDouble();
        assertTrue(kl > 10 && kl < 35, "KL " + kl);
    }
}
