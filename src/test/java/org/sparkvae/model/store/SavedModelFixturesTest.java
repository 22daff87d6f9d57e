package org.sparkvae.model.store;

import org.sparkvae.model.ElboTerms;
import org.sparkvae.model.VaeConfig;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models saved by spark-vae 0.1.0 (their decoder layers were SameDiff layers; the layer classes have changed
 * since) still load through the safe loader, compute the ELBO terms they computed when saved, and resume training.
 */
public class SavedModelFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/models");

    @Test
    void modelsOfEarlierReleasesLoadAndComputeWhatTheyComputedWhenSaved() throws Exception {
        INDArray x = SavedModelFixtures.inputs();
        for (Map.Entry<String, VaeConfig> e : SavedModelFixtures.configs().entrySet()) {
            Path zip = DIR.resolve("v0.1.0-" + e.getKey() + ".zip");
            // Saved before model/ was split into packages: the layers carry their old class names, which the
            // reader maps (ModelZipReader.RENAMED).
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
                String json = new String(z.getInputStream(z.getEntry("configuration.json")).readAllBytes());
                assertTrue(json.contains("\"org.sparkvae.model.GaussianLatentLayer\""), zip + " names the old class");
            }
            ModelStore.Loaded loaded = ModelStore.load(zip);
            assertEquals(e.getValue(), loaded.vae().config(), zip.toString());
            List<String> expected = Files.readAllLines(DIR.resolve("v0.1.0-" + e.getKey() + ".expected.csv"));
            loaded.vae().setSampling(false);
            ElboTerms t = loaded.vae().elboTerms(x);
            for (int r = 0; r < expected.size(); r++) {
                String[] v = expected.get(r).split(",");
                // Float sums in another order (a gemm instead of SameDiff's mmul): a few ulps of a ~800-nat sum.
                assertEquals(Double.parseDouble(v[0]), t.recon().getDouble(r), 2e-3, e.getKey() + " recon row " + r);
                assertEquals(Double.parseDouble(v[1]), t.kl().getDouble(r), 1e-4, e.getKey() + " KL row " + r);
            }
            loaded.vae().setSampling(true);
            double before = loaded.vae().network().params().sumNumber().doubleValue();
            loaded.vae().network().fit(new DataSet(x, x));
            double score = loaded.vae().network().score();
            assertTrue(Double.isFinite(score), e.getKey() + " resumed training gives a finite loss");
            assertTrue(before != loaded.vae().network().params().sumNumber().doubleValue(), e.getKey() + " parameters moved");
            // Saved again today: the new class names, and it loads back.
            Path again = Files.createTempFile("fixture-resaved", ".zip");
            try {
                Files.delete(again);
                ModelStore.save(loaded.vae(), loaded.info(), again);
                try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(again.toFile())) {
                    String json = new String(z.getInputStream(z.getEntry("configuration.json")).readAllBytes());
                    assertTrue(json.contains("\"org.sparkvae.model.layers.GaussianLatentLayer\"")
                            && !json.contains("\"org.sparkvae.model.GaussianLatentLayer\""), "new names in a new save");
                }
                assertEquals(e.getValue(), ModelStore.load(again).vae().config());
            } finally {
                Files.deleteIfExists(again);
            }
        }
    }
}
