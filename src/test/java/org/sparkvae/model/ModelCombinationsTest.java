package org.sparkvae.model;

import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.run.ElboReport;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.train.LocalTrainer;
import org.sparkvae.train.TrainingOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short run on real MNIST of every allowed prior x likelihood x architecture: the loss falls,
 * the ELBO and IWAE estimates are finite and ordered, samples and means have the right shape and
 * range, and the saved model comes back with the same outputs.
 */
class ModelCombinationsTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (Architecture arch : Architecture.values()) {
            for (PriorKind prior : PriorKind.values()) {
                all.add(Arguments.of(arch, prior, LikelihoodKind.BERNOULLI, null, 1));
                all.add(Arguments.of(arch, prior, LikelihoodKind.GAUSSIAN, null, 1));
                all.add(Arguments.of(arch, prior, LikelihoodKind.GAUSSIAN, 0.1, 1));
                all.add(Arguments.of(arch, prior, LikelihoodKind.CB, null, 1));
            }
            // Two levels: p(z2) = N(0, I), any likelihood.
            all.add(Arguments.of(arch, PriorKind.GAUSSIAN, LikelihoodKind.BERNOULLI, null, 2));
            all.add(Arguments.of(arch, PriorKind.GAUSSIAN, LikelihoodKind.GAUSSIAN, null, 2));
            all.add(Arguments.of(arch, PriorKind.GAUSSIAN, LikelihoodKind.CB, null, 2));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} variance={3} levels={4}")
    @MethodSource("combinations")
    void trainsEvaluatesSamplesAndRoundTrips(Architecture arch, PriorKind prior, LikelihoodKind likelihood, Double variance,
                                            int levels) throws Exception {
        VaeConfig c = new VaeConfig(VaeConfig.MNIST_PIXELS, 64, 4, 2e-3)
                .withPrior(prior, 3).withLikelihood(likelihood, variance).withArch(arch).withLevels(levels);
        Path slice = Path.of(getClass().getResource("/mnist-slice").toURI());
        LabelledImages images = new MnistFiles(slice.toString()).read28x28(MnistFiles.Split.TRAIN).head(600);
        INDArray x = Features.of(images, likelihood.dataMode());
        // The CNN costs ~15x the MLP per image on one core: fewer images keep the 15 CNN cases at a few seconds each.
        int trainN = arch == Architecture.CNN ? 300 : 500;
        int heldN = arch == Architecture.CNN ? 50 : 100;
        INDArray held = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(500, 500 + heldN),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray train = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, trainN),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();

        Vae vae = Vae.create(c, 2);
        List<EpochRecord> history = new LocalTrainer(new TrainingOptions(4, 50, 2)).train(vae, train, m -> { });
        String what = c.describe() + " " + history;
        assertTrue(history.stream().allMatch(m -> Double.isFinite(m.trainNegElbo())), what);
        assertTrue(history.get(3).trainNegElbo() < history.get(0).trainNegElbo(), "loss falls: " + what);

        ElboReport elbo = new ElboEvaluator(50, false).evaluate(vae, held, 0, true);
        double iwae = new IwaeEvaluator(20, false).sums(vae, held, 0).meanNll();
        assertTrue(Double.isFinite(elbo.negElbo()) && Double.isFinite(iwae), what + " " + elbo + " iwae " + iwae);
        assertTrue(iwae < elbo.negElbo(), "IWAE-20 " + iwae + " below -ELBO " + elbo.negElbo() + " for " + what);
        // The encoder once per image, its rows repeated: the weights of a pass over K copies of each image, same noise.
        INDArray five = held.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        int[] copies = new int[5 * 7];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = i / 7;
        }
        vae.setSampling(true);
        Nd4j.getRandom().setSeed(17);
        double[] once = vae.logImportanceWeights(five, 7).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        Nd4j.getRandom().setSeed(17);
        double[] repeated = vae.logImportanceWeights(Nd4j.pullRows(five, 1, copies, 'c'))
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        assertEquals(35, once.length, what);
        for (int i = 0; i < once.length; i++) {
            assertEquals(repeated[i], once[i], 1e-3 + 1e-5 * Math.abs(repeated[i]), "log weight " + i + ": " + what);
        }
        assertTrue(once[0] != once[1], "fresh z per draw: " + what);
        if (prior == PriorKind.GAUSSIAN && levels == 1) {
            assertTrue(elbo.kl() > 0, "closed-form KL is positive: " + elbo);
        }

        Nd4j.getRandom().setSeed(5);
        INDArray z = vae.samplePrior(6);
        INDArray samples = vae.sampleObservation(z);
        INDArray means = vae.decodeMean(z);
        assertArrayEquals(new long[] {6, 784}, samples.shape());
        assertArrayEquals(new long[] {6, 784}, means.shape());
        if (likelihood != LikelihoodKind.GAUSSIAN) {
            assertTrue(samples.minNumber().doubleValue() >= 0 && samples.maxNumber().doubleValue() <= 1, what);
            assertTrue(means.minNumber().doubleValue() >= 0 && means.maxNumber().doubleValue() <= 1, what);
        }

        Path zip = tmp.resolve("m.zip");
        ModelStore.save(vae, new ModelInfo(c, likelihood.dataMode().cliName(), null, null, null, 4, 50, 2,
                java.util.Map.of(), "now", List.of()), zip);
        ModelStore.Loaded back = ModelStore.load(zip);
        assertEquals(c, back.info().config());
        assertEquals(c, back.vae().config());
        vae.setSampling(false);
        back.vae().setSampling(false);
        assertEquals(vae.elboTerms(held).negElbo(), back.vae().elboTerms(held).negElbo());
    }
}
