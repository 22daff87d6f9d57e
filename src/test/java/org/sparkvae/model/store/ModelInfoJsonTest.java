package org.sparkvae.model.store;

import org.sparkvae.model.VaeConfig;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sparkvae.run.Topology;
import org.sparkvae.run.EpochRecord;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed model info reads what earlier versions wrote (maps per epoch) and writes the same JSON back. */
class ModelInfoJsonTest {
    private static Path fixtures() throws URISyntaxException {
        return Path.of(ModelInfoJsonTest.class.getResource("/models").toURI());
    }

    @Test
    void savedInfoOfEarlierVersionsRoundTripsUnchanged() throws Exception {
        File[] zips = fixtures().toFile().listFiles((d, n) -> n.endsWith(".zip"));
        assertTrue(zips != null && zips.length >= 4);
        for (File zip : zips) {
            try (ZipFile z = new ZipFile(zip)) {
                byte[] bytes = z.getInputStream(z.getEntry(ModelStore.INFO_ENTRY)).readAllBytes();
                JsonNode saved = ModelStore.json().readTree(bytes);
                ModelInfo info = ModelStore.json().readValue(bytes, ModelInfo.class);
                // Compared as text: JsonNode equality tells an int node from a long one.
                assertEquals(ModelStore.json().writeValueAsString(saved), ModelStore.json().writeValueAsString(info), zip.getName());
            }
        }
    }

    @Test
    void infoAsTheCliWroteItBeforeTheRecordsRoundTripsUnchanged() throws Exception {
        // An info file as 0.1.0's train wrote it on Spark: one map per epoch (test terms where evaluated) and a map
        // for the distribution.
        String old = "{\"config\":" + ModelStore.json().writeValueAsString(VaeConfig.mnist(10)) + ",\"dataMode\":\"binary\","
                + "\"dataset\":\"mnist\",\"dataDir\":\"data/mnist\",\"trainImagesMd5\":\"6bbc9ace898e44ae57da46a324031adb\","
                + "\"epochs\":2,\"batchSize\":128,\"seed\":0,\"versions\":{\"spark-vae\":\"0.1.0\"},\"createdAt\":\"2026-11-24T10:00:00Z\","
                + "\"epochMetrics\":[{\"epoch\":1,\"train_neg_elbo\":160.5,\"test_neg_elbo\":120.25,\"test_recon\":100.0,"
                + "\"test_kl\":20.25,\"seconds\":20.0,\"samples_per_second\":3000.0},"
                + "{\"epoch\":2,\"train_neg_elbo\":110.5,\"seconds\":19.5,\"samples_per_second\":3076.9}],"
                + "\"distribution\":{\"master\":\"local[*]\",\"workers\":1,\"averaging_frequency\":50}}";
        ModelInfo info = ModelStore.json().readValue(old, ModelInfo.class);
        assertEquals(120.25, info.epochMetrics().get(0).testNegElbo());
        assertNull(info.epochMetrics().get(1).testNegElbo());
        assertEquals(new Topology("local[*]", 1, 50), info.distribution());
        assertEquals(ModelStore.json().writeValueAsString(ModelStore.json().readTree(old)), ModelStore.json().writeValueAsString(info));
    }

    @Test
    void untestedEpochsOmitTheTestColumnsAndTheDistributionIsNamedAsBefore() throws Exception {
        ModelInfo info = new ModelInfo(VaeConfig.mnist(2), "binary", "mnist", "data/mnist", "abc", 1, 128, 0,
                Map.of("java", "17"), "now", List.of(new EpochRecord(1, 150.5, null, null, null, 2.5, 24000, null)),
                new Topology("local[*]", 1, 50));
        JsonNode json = ModelStore.json().valueToTree(info);
        JsonNode epoch = json.get("epochMetrics").get(0);
        List<String> names = new java.util.ArrayList<>();
        epoch.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("epoch", "train_neg_elbo", "seconds", "samples_per_second"), names);
        assertEquals(50, json.get("distribution").get("averaging_frequency").asInt());
        ModelInfo back = ModelStore.json().treeToValue(json, ModelInfo.class);
        assertEquals(info, back);
        assertNull(back.epochMetrics().get(0).testNegElbo());
    }

    @Test
    void aTrainedEpochRecordsItsExampleCountInTheInfoButNotInTheMetricsColumns() throws Exception {
        EpochRecord trained = EpochRecord.trained(1, 150.5, 2.5, 60000);
        assertEquals(24000.0, trained.samplesPerSecond());
        ModelInfo info = new ModelInfo(VaeConfig.mnist(2), "binary", "mnist", "data/mnist", "abc", 1, 128, 0,
                Map.of("java", "17"), "now", List.of(trained), null);
        JsonNode epoch = ModelStore.json().valueToTree(info).get("epochMetrics").get(0);
        List<String> names = new java.util.ArrayList<>();
        epoch.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("epoch", "train_neg_elbo", "seconds", "samples_per_second", "examples"), names);
        assertEquals(60000L, ModelStore.json().treeToValue(ModelStore.json().valueToTree(info), ModelInfo.class)
                .epochMetrics().get(0).examples());
        assertTrue(!EpochRecord.COLUMNS.contains(EpochRecord.EXAMPLES), "the metrics files keep their columns");
    }
}
