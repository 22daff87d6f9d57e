package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.run.ElboReport;
import org.sparkvae.model.Features;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short run of the real model on a slice of real MNIST. */
class LocalTrainerTest {
    @Test
    void lossFallsOnRealMnist() throws Exception {
        Path slice = Path.of(getClass().getResource("/mnist-slice").toURI());
        MnistFiles files = new MnistFiles(slice.toString());
        INDArray train = Features.of(files.read28x28(MnistFiles.Split.TRAIN), DataMode.BINARY);
        INDArray test = Features.of(files.read28x28(MnistFiles.Split.TEST), DataMode.BINARY);
        Vae vae = Vae.create(VaeConfig.mnist(10), 1);
        ElboEvaluator evaluator = new ElboEvaluator(250, false);
        ElboReport before = evaluator.evaluate(vae, test, 0, true);

        List<EpochRecord> seen = new ArrayList<>();
        List<EpochRecord> history = new LocalTrainer(new TrainingOptions(3, 100, 1)).train(vae, train, seen::add);
        ElboReport after = evaluator.evaluate(vae, test, 0, true);

        assertEquals(history, seen);
        assertEquals(3, history.size());
        assertEquals(2000, history.get(0).examples());
        // An untrained decoder costs ~784 log 2 = 543 nats; three short epochs must cut that a lot.
        assertTrue(before.negElbo() > 450, "untrained: " + before);
        assertTrue(history.get(2).trainNegElbo() < history.get(0).trainNegElbo(), "train loss falls: " + history);
        assertTrue(after.negElbo() < 230, "test -ELBO after 3 epochs on 2000 images: " + after);
        assertEquals(after.negElbo(), after.recon() + after.kl(), 1e-6);
        assertTrue(after.kl() > 0);
    }

    @Test
    void nonFiniteLossStopsTrainingWithAClearMessage() {
        Vae vae = Vae.create(new VaeConfig(16, 8, 2, 1e-3), 1);
        INDArray x = org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 20, 16);
        x.getColumn(5).assign(Float.NaN); // every minibatch holds a NaN pixel
        List<EpochRecord> seen = new ArrayList<>();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> new LocalTrainer(new TrainingOptions(2, 10, 1)).train(vae, x, seen::add));
        assertTrue(e.getMessage().contains("loss became NaN at epoch 1, step 1"), e.getMessage());
        assertTrue(seen.isEmpty(), "no epoch reported as finished");
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = LocalTrainer.permutation(100, new java.util.Random(3));
        assertEquals(4950, java.util.Arrays.stream(p).sum());
        assertEquals(100, java.util.Arrays.stream(p).distinct().count());
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(-1, 128, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> VaeConfig.mnist(0));
    }
}
