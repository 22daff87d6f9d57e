package org.sparkvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train -> evaluate -> sample through the CLI on the real-MNIST slice. */
class CliRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void trainEvaluateSample() throws Exception {
        String data = Path.of(getClass().getResource("/mnist-slice").toURI()).toString();
        Path model = dir.resolve("m.zip");
        assertEquals(0, SparkVaeCli.execute("train", "--data", data, "--model", model.toString(), "--epochs", "2",
                "--latent-dim", "4", "--batch-size", "100", "--no-progress"));
        assertTrue(Files.exists(dir.resolve("m.json")));
        List<String> csv = Files.readAllLines(dir.resolve("m.metrics.csv"));
        assertEquals(3, csv.size(), "header + 2 epochs");
        assertEquals("epoch,train_neg_elbo,test_neg_elbo,test_recon,test_kl,seconds,samples_per_second", csv.get(0));
        String[] epoch2 = csv.get(2).split(",");
        assertEquals(Double.parseDouble(epoch2[2]), Double.parseDouble(epoch2[3]) + Double.parseDouble(epoch2[4]), 1e-4,
                "test -ELBO = reconstruction + KL each epoch");
        assertTrue(Files.size(dir.resolve("m.metrics.parquet")) > 0);
        assertTrue(ImageIO.read(dir.resolve("m.curves.png").toFile()).getWidth() > 0);
        JsonNode info = new ObjectMapper().readTree(dir.resolve("m.json").toFile());
        assertEquals(4, info.get("config").get("latentDim").asInt());
        assertEquals("binary", info.get("dataMode").asText());
        assertEquals(2, info.get("epochMetrics").size());
        // The default is the embedded Spark with one worker (averaging would cost ELBO; README).
        assertEquals("local[*]", info.get("distribution").get("master").asText());
        assertEquals(1, info.get("distribution").get("workers").asInt());

        Path metrics = dir.resolve("metrics.json");
        assertEquals(0, SparkVaeCli.execute("evaluate", "--model", model.toString(), "--data", data,
                "--out", metrics.toString(), "--no-progress"));
        JsonNode m = new ObjectMapper().readTree(metrics.toFile());
        assertEquals(500, m.get("n").asInt());
        assertEquals(m.get("test_neg_elbo").asDouble(), m.get("test_recon").asDouble() + m.get("test_kl").asDouble(), 1e-6);
        assertTrue(m.get("test_neg_elbo").asDouble() < 543, "better than an untrained decoder");

        Path png = dir.resolve("s.png");
        assertEquals(0, SparkVaeCli.execute("sample", "--model", model.toString(), "--samples", png.toString()));
        BufferedImage samples = ImageIO.read(png.toFile());
        BufferedImage means = ImageIO.read(dir.resolve("s-mean.png").toFile());
        assertEquals(8 * (28 * 2 + 2) + 2, samples.getWidth(), "8x8 grid of 2x-scaled 28x28 images");
        assertEquals(samples.getWidth(), means.getWidth());
    }

    @Test
    void mixturePriorGaussianLikelihoodAndIwaeNeedNoRepeatedFlags() throws Exception {
        String data = Path.of(getClass().getResource("/mnist-slice").toURI()).toString();
        Path model = dir.resolve("g.zip");
        assertEquals(0, SparkVaeCli.execute("train", "--data", data, "--model", model.toString(), "--epochs", "1",
                "--latent-dim", "3", "--batch-size", "100", "--prior", "mog", "--components", "4",
                "--likelihood", "gaussian", "--variance", "0.1", "--no-progress", "--single-jvm"));
        JsonNode info = new ObjectMapper().readTree(dir.resolve("g.json").toFile());
        assertEquals("continuous", info.get("dataMode").asText());
        assertTrue(info.get("distribution").isNull(), "--single-jvm: no Spark");
        assertEquals("MOG", info.get("config").get("prior").asText());
        assertEquals(4, info.get("config").get("components").asInt());
        assertEquals("GAUSSIAN", info.get("config").get("likelihood").asText());
        assertEquals(0.1, info.get("config").get("fixedVariance").asDouble());

        Path metrics = dir.resolve("g-metrics.json");
        assertEquals(0, SparkVaeCli.execute("evaluate", "--model", model.toString(), "--data", data, "--iwae", "10",
                "--iwae-images", "100", "--out", metrics.toString(), "--no-progress", "--single-jvm"));
        JsonNode m = new ObjectMapper().readTree(metrics.toFile());
        assertEquals(10, m.get("iwae_k").asInt());
        assertEquals(100, m.get("iwae_n").asInt());
        assertTrue(Double.isFinite(m.get("test_nll_iwae").asDouble()));
        assertEquals("MOG", m.get("model_config").get("prior").asText());

        Path png = dir.resolve("g.png");
        assertEquals(0, SparkVaeCli.execute("sample", "--model", model.toString(), "--samples", png.toString(), "--count", "16"));
        assertTrue(Files.exists(dir.resolve("g-mean.png")));
        Path noMean = dir.resolve("n.png");
        assertEquals(0, SparkVaeCli.execute("sample", "--model", model.toString(), "--samples", noMean.toString(), "--no-mean"));
        assertTrue(Files.exists(noMean));
        assertTrue(!Files.exists(dir.resolve("n-mean.png")));
    }
}
