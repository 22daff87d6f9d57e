package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {
    @TempDir
    Path dir;

    private static ModelInfo info(VaeConfig c, int epochs) {
        return new ModelInfo(c, "binary", null, "d", "md5", epochs, 10, 1, Map.of(), "t", List.of(new EpochRecord(epochs, 150.0, null, null, null, 1.0, 100.0, null)));
    }

    @Test
    void keepsOnlyTheNewestAndLoadsIt() throws Exception {
        Checkpoints ck = new Checkpoints(dir.resolve("run.ckpt"));
        assertTrue(ck.isEmpty());
        assertTrue(ck.latest().isEmpty());
        VaeConfig c = new VaeConfig(12, 6, 2, 1e-3);
        Vae vae = Vae.create(c, 1);
        ck.save(vae, info(c, 1), 1);
        ck.save(vae, info(c, 2), 2);
        ModelStore.Loaded last = ck.latest().orElseThrow();
        assertEquals(2, last.info().epochs());
        assertEquals(vae.network().params(), last.vae().network().params());
        assertFalse(Files.exists(dir.resolve("run.ckpt/epoch-0001.zip")), "older checkpoint removed");
        assertTrue(Files.exists(dir.resolve("run.ckpt/epoch-0002.json")));
    }
}
