package org.sparkvae.model.store;

import org.sparkvae.model.Architecture;
import org.sparkvae.model.ElboTerms;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.workarounds.Nd4jSeeds;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small models saved by a given release of spark-vae, kept in {@code src/test/resources/models/} as Tribuo keeps
 * old models: every later release must load them and compute the same ELBO terms ({@link SavedModelFixturesTest}).
 * The fixtures of 0.1.0 were written by this class before the decoder's dense layers left SameDiff; do not
 * regenerate them (that would test nothing): add new ones under a new prefix when the format changes.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat target/classpath.txt)
 * org.sparkvae.model.SavedModelFixtures src/test/resources/models PREFIX}.
 */
public final class SavedModelFixtures {
    static final int INPUTS = 784;
    static final int ROWS = 6;

    /** Each fixture's name and configuration: every decoder layer kind and both latent levels. */
    static Map<String, VaeConfig> configs() {
        Map<String, VaeConfig> m = new LinkedHashMap<>();
        VaeConfig base = new VaeConfig(INPUTS, 16, 2, 1e-3);
        m.put("mlp-bernoulli-gaussian", base);
        m.put("mlp-gaussian-mog-learned", base.withPrior(PriorKind.MOG, 3).withLikelihood(LikelihoodKind.GAUSSIAN, null));
        m.put("mlp-cb-levels2", base.withLikelihood(LikelihoodKind.CB, null).withLevels(2));
        m.put("cnn-bernoulli-gaussian", new VaeConfig(INPUTS, 8, 2, 1e-3).withArch(Architecture.CNN));
        return m;
    }

    /** The fixed inputs the expected terms were computed on (a seeded draw, binary for every likelihood). */
    static INDArray inputs() {
        Nd4j.getRandom().setSeed(Nd4jSeeds.of(20261130));
        return Nd4j.rand(DataType.FLOAT, ROWS, INPUTS).gt(0.6).castTo(DataType.FLOAT);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        Files.createDirectories(dir);
        for (Map.Entry<String, VaeConfig> e : configs().entrySet()) {
            Vae vae = Vae.create(e.getValue(), 7);
            Nd4j.getRandom().setSeed(Nd4jSeeds.of(8));
            INDArray train = Nd4j.rand(DataType.FLOAT, 32, INPUTS).gt(0.5).castTo(DataType.FLOAT);
            for (int i = 0; i < 3; i++) { // Adam state and parameters away from their initial values
                vae.network().fit(new DataSet(train, train));
            }
            ModelStore.save(vae, new ModelInfo(e.getValue(), "binary", null, "fixture", null, 1, 32, 7, Map.of(),
                    "fixture", List.of()), dir.resolve(prefix + "-" + e.getKey() + ".zip"));
            vae.setSampling(false);
            ElboTerms t = vae.elboTerms(inputs());
            List<String> lines = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                lines.add(t.recon().getDouble(r) + "," + t.kl().getDouble(r));
            }
            Files.write(dir.resolve(prefix + "-" + e.getKey() + ".expected.csv"), lines);
        }
    }
}
