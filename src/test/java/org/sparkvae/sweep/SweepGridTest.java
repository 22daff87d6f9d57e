package org.sparkvae.sweep;

import org.sparkvae.analysis.SweepResults;
import org.sparkvae.analysis.SweepResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grid files: the Cartesian product, train defaults, clear refusals, stable keys. */
class SweepGridTest {
    private static List<SweepConfig> parse(String yaml) throws Exception {
        return SweepGrid.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "grid.yaml");
    }

    @Test
    void productInFileOrderWithTrainDefaults() throws Exception {
        List<SweepConfig> g = parse("latent_dims: [2, 10]\npriors: [gaussian, mog]\nseeds: [0, 1]\nepochs: 3\n");
        assertEquals(8, g.size());
        SweepConfig first = g.get(0);
        assertEquals(2, first.latentDim);
        assertEquals("gaussian", first.prior);
        assertEquals(0, first.seed);
        assertEquals(3, first.epochs);
        assertEquals(128, first.batchSize, "train default");
        assertEquals(1e-3, first.learningRate);
        assertEquals("bernoulli", first.likelihood);
        assertEquals("mlp", first.arch);
        assertEquals("mnist", first.dataset);
        assertEquals(10, first.components);
        assertEquals(1, g.get(1).seed);
        assertEquals("mog", g.get(2).prior);
        assertEquals(10, g.get(4).latentDim);
    }

    @Test
    void shippedGridParses() throws Exception {
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("conf", "sweep-latent-prior.yaml"))) {
            List<SweepConfig> g = SweepGrid.parse(in, "conf/sweep-latent-prior.yaml");
            assertEquals(15, g.size(), "M in {2,5,10,20,32} x {gaussian,mog,vamp}");
        }
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("conf", "sweep-bar.yaml"))) {
            assertEquals(6, SweepGrid.parse(in, "conf/sweep-bar.yaml").size());
        }
    }

    @Test
    void keysAreStableAndDifferForAnyField() throws Exception {
        SweepConfig a = parse("latent_dims: [10]\npriors: [mog]\n").get(0);
        SweepConfig b = parse("priors: [mog]\nlatent_dims: [10]\n").get(0);
        assertEquals(a.key(), b.key(), "same configuration, same key (order of keys in the file does not matter)");
        assertEquals(16, a.key().length());
        assertNotEquals(a.key(), parse("latent_dims: [10]\npriors: [mog]\nepochs: 9\n").get(0).key());
        assertNotEquals(a.key(), parse("latent_dims: [10]\npriors: [mog]\nseeds: [1]\n").get(0).key());
        assertNotEquals(a.key(), parse("latent_dims: [10]\npriors: [mog]\ncomponents: 5\n").get(0).key());
    }

    @Test
    void badGridsAreRefusedNamingTheKey() {
        Map<String, String> bad = Map.of(
                "latent_dims: [2]\nprior: [mog]\n", "unknown key 'prior'",
                "latent_dims: 10\n", "'latent_dims' must be a non-empty list",
                "latent_dims: [two]\n", "'latent_dims' must list integers",
                "latent_dims: [0]\n", "latent_dims must be a positive integer, got 0",
                "priors: [laplace]\n", "laplace",
                "epochs: 0\n", "epochs",
                "dataset: cifar\n", "dataset must be mnist or fashion",
                "latent_dims: [2, 2]\n", "same configuration twice",
                "- 1\n- 2\n", "a grid file is a YAML mapping",
                "latent_dims: [2\n", "not valid YAML");
        bad.forEach((yaml, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(yaml), yaml);
            assertTrue(e.getMessage().contains(message) && e.getMessage().startsWith("grid.yaml"), yaml + " -> " + e.getMessage());
        });
    }

    @Test
    void csvQuotesAndFormats() {
        SweepResult r = new SweepResult("k1", 2, "gaussian", 1, "bernoulli", null, "mlp", 1, 0, 1, 128, 1e-3, "mnist", 0, 0, 0,
                88.123456789, 60, 28.123456789, null, 0, 1.5, "configs", "a,b", "2026-11-30T00:00:00Z");
        String csv = SweepResults.csv(List.of(r));
        String[] lines = csv.split("\n");
        assertEquals(SweepResults.COLUMNS.size(), lines[0].split(",").length);
        assertTrue(lines[1].startsWith("k1,2,gaussian,1,bernoulli,,mlp,1,0,1,128,0.001000,"), lines[1]);
        assertTrue(lines[1].contains(",88.123457,"));
        assertTrue(lines[1].contains("\"a,b\""));
    }

    /** Trust issue row 11: a word where a number belongs and a YAML class tag are named, not read as 0 or "". */
    @Test
    void badScalarsAndTagsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("latent_dims: [2]\nlearning_rate: fast\n"));
        assertTrue(e.getMessage().contains("'learning_rate' must be a number, got \"fast\""), e.getMessage());
        IllegalArgumentException tag = assertThrows(IllegalArgumentException.class,
                () -> parse("latent_dims: [2]\npriors: [!!javax.script.ScriptEngineManager evil]\n"));
        assertTrue(tag.getMessage().contains("unknown prior '") && !tag.getMessage().contains("unknown value '' "), tag.getMessage());
    }
}
