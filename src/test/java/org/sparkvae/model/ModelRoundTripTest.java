package org.sparkvae.model;

import org.sparkvae.model.layers.ElboOutputLayer;
import org.sparkvae.model.layers.GaussianLatentLayer;
import org.sparkvae.model.layers.NoiseAppendingPreProcessor;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void configurationJsonRoundTripsWithCustomLayers() {
        MultiLayerConfiguration conf = VaeNetworkFactory.configuration(VaeConfig.mnist(7), 3, DataType.FLOAT);
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(json, back.toJson());
        assertInstanceOf(GaussianLatentLayer.class, back.getConf(NetworkLayout.latentLayer(back)).getLayer());
        assertInstanceOf(ElboOutputLayer.class, back.getConf(NetworkLayout.outputLayer(back)).getLayer());
        assertEquals(7, ((NoiseAppendingPreProcessor) back.getInputPreProcess(NetworkLayout.latentLayer(back))).latentDim());
    }

    @Test
    void modelZipRoundTripKeepsParametersUpdaterStateAndOutputs() throws Exception {
        VaeConfig config = new VaeConfig(20, 8, 3, 1e-3);
        Vae vae = Vae.create(config, 11);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 20).gt(0.5).castTo(DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            vae.network().fit(new DataSet(x, x)); // gives Adam some state
        }
        ModelInfo info = new ModelInfo(config, "binary", null, "d", "md5", 3, 16, 11,
                Map.of("dl4j", "test"), "now", List.of(new org.sparkvae.run.EpochRecord(1, 150.0, null, null, null, 1.0, 100.0, null)));
        Path zip = dir.resolve("m.zip");
        ModelStore.save(vae, info, zip);
        assertTrue(Files.exists(dir.resolve("m.json")), "info JSON beside the model");

        ModelStore.Loaded back = ModelStore.load(zip);
        assertEquals(info, back.info());
        assertEquals(vae.network().params(), back.vae().network().params());
        assertEquals(vae.network().getUpdater().getStateViewArray(), back.vae().network().getUpdater().getStateViewArray());
        vae.setSampling(false);
        back.vae().setSampling(false);
        assertEquals(vae.elboTerms(x).negElbo(), back.vae().elboTerms(x).negElbo());
        // Training continues identically from the restored state.
        Nd4j.getRandom().setSeed(5);
        vae.setSampling(true);
        vae.network().fit(new DataSet(x, x));
        Nd4j.getRandom().setSeed(5);
        back.vae().setSampling(true);
        back.vae().network().fit(new DataSet(x, x));
        assertTrue(vae.network().params().equalsWithEps(back.vae().network().params(), 1e-6));
    }

    @Test
    void notAModelIsRefusedClearly() throws Exception {
        Path bogus = dir.resolve("bogus.zip");
        Files.writeString(bogus, "not a zip");
        Exception e = assertThrows(java.io.IOException.class, () -> ModelStore.load(bogus));
        assertTrue(e.getMessage().contains("bogus.zip"), e.getMessage());
        Exception e2 = assertThrows(java.io.IOException.class, () -> ModelStore.load(dir.resolve("missing.zip")));
        assertTrue(e2.getMessage().contains("does not exist"), e2.getMessage());
    }
}
