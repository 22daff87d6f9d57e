package org.sparkvae.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.ImageShape;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.sweep.ConfigRun;
import org.sparkvae.sweep.SweepConfig;
import org.sparkvae.sweep.SweepConfigs;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The orchestration of a training run, in this JVM (the local backend; no Spark, no spawned JVM), on the committed
 * MNIST slice: provenance equal to the sweep's, overwrite refusal that leaves the user's files as they were, and
 * resume continuing the interrupted run's history.
 */
class TrainingRunTest {
    private static final String SLICE = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();
    private static final VaeConfig CONFIG = VaeConfig.mnist(2);

    @TempDir
    Path dir;

    private static TrainingRun.Spec spec(Path model, int epochs, boolean overwrite, boolean resume) {
        return new TrainingRun.Spec(CONFIG, DataMode.BINARY, () -> new MnistFiles(SLICE), model.toString(), epochs, 64, 3,
                overwrite, resume, true, false, null, null, 1);
    }

    @Test
    void aSweepModelRecordsTheSameProvenanceAsTrains() throws Exception {
        ModelInfo trained = TrainingRun.run(spec(dir.resolve("m.zip"), 1, false, false)).info();
        SweepConfig c = SweepConfigs.small(0);
        assertEquals(CONFIG, c.vaeConfig());
        Path out = Files.createDirectories(dir.resolve("sweep"));
        String status = ConfigRun.runSafely(c, SLICE, out.toString(), "configs", ConfigRun.oneJvm());
        assertTrue(status.startsWith("ok "), status);
        ModelInfo swept;
        try (Stream<Path> files = Files.walk(out)) {
            swept = ModelStore.load(files.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow()).info();
        }
        // Before the one provenance factory, a sweep's models recorded no image shape (and a dataset name taken
        // from the grid, not from the data's checksum).
        assertEquals(ImageShape.MNIST, trained.imageShape());
        assertEquals(trained.imageShape(), swept.imageShape());
        assertEquals(trained.config(), swept.config());
        assertEquals(trained.dataMode(), swept.dataMode());
        assertEquals(trained.dataset(), swept.dataset());
        assertEquals(trained.dataDir(), swept.dataDir());
        assertNotNull(trained.trainImagesMd5());
        assertEquals(trained.trainImagesMd5(), swept.trainImagesMd5());
        assertEquals(trained.epochs(), swept.epochs());
        assertEquals(trained.batchSize(), swept.batchSize());
        assertEquals(trained.seed(), swept.seed());
        assertEquals(trained.distribution(), swept.distribution());
        assertEquals(trained.versions(), swept.versions());
        // The same settings on the same data in one JVM train the same network.
        assertEquals(trained.epochMetrics().get(0).trainNegElbo(), swept.epochMetrics().get(0).trainNegElbo());
    }

    @Test
    void aSecondRunIsRefusedAndLeavesTheFirstRunsFilesAsTheyWere() throws Exception {
        Path model = dir.resolve("m.zip");
        TrainingRun.run(spec(model, 1, false, false));
        byte[] before = Files.readAllBytes(model);
        byte[] csv = Files.readAllBytes(Path.of(TrainingRun.metricsPathFor(model.toString())));
        Exception e = assertThrows(FileAlreadyExistsException.class, () -> TrainingRun.run(spec(model, 1, false, false)));
        assertTrue(e.getMessage().contains("pass `overwrite` to replace it"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(model));
        assertArrayEquals(csv, Files.readAllBytes(Path.of(TrainingRun.metricsPathFor(model.toString()))));
    }

    @Test
    void resumeContinuesTheInterruptedRunsHistory() throws Exception {
        Path model = dir.resolve("m.zip");
        ModelInfo one = TrainingRun.run(spec(model, 1, false, false)).info();
        // As if the run had been stopped after epoch 1 of 2: its checkpoint is there, its final model is not.
        Files.delete(model);
        ModelInfo two = TrainingRun.run(spec(model, 2, false, true)).info();
        assertEquals(2, two.epochs());
        assertEquals(2, two.epochMetrics().size());
        assertEquals(one.epochMetrics().get(0), two.epochMetrics().get(0), "epoch 1 is the checkpoint's, not trained again");
        assertNotNull(two.epochMetrics().get(1).testNegElbo(), "the resumed epoch is evaluated on the test split too");
        // A resume with other settings is refused, naming them.
        Files.delete(model);
        Exception e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.run(new TrainingRun.Spec(CONFIG,
                DataMode.BINARY, () -> new MnistFiles(SLICE), model.toString(), 3, 32, 3, false, true, true, false, null, null, 1)));
        assertTrue(e.getMessage().startsWith("`resume`: the checkpoint in"), e.getMessage());
    }
    /**
     * A run whose loss diverges stops at the first non-finite step with the trainer's message, and leaves no model,
     * metrics or temporary file behind (a learning rate of 1e9 sends Adam's first steps to weights of that size).
     */
    @Test
    void aDivergingRunStopsAndWritesNoModel() throws Exception {
        Path model = dir.resolve("nan.zip");
        VaeConfig wild = new VaeConfig(VaeConfig.MNIST_PIXELS, 64, 2, 1e9);
        Exception e = assertThrows(org.sparkvae.train.NonFiniteLossException.class, () -> TrainingRun.run(new TrainingRun.Spec(
                wild, DataMode.BINARY, () -> new MnistFiles(SLICE), model.toString(), 2, 64, 3, false, false, true, false,
                null, null, 1)));
        assertTrue(e.getMessage().matches("loss became (NaN|-?Infinity) at epoch 1, step \\d+; stopping .*"), e.getMessage());
        assertTrue(!Files.exists(model) && !Files.exists(Path.of(ModelStore.infoPathFor(model.toString()))), "no model");
        assertTrue(!Files.exists(Path.of(TrainingRun.metricsPathFor(model.toString()))), "no metrics of an epoch that never ended");
        try (Stream<Path> left = Files.walk(dir)) {
            List<Path> temps = left.filter(p -> p.getFileName().toString().contains(".tmp")).toList();
            assertTrue(temps.isEmpty(), "no temporary files: " + temps);
        }
    }
}
