package org.sparkvae.sweep;

import org.sparkvae.analysis.SweepResults;
import org.sparkvae.analysis.SweepResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-configuration record a sweep resumes from: results, failures, attempts and the CSV rebuilt from them. */
class SweepResultsTest {
    @TempDir
    Path dir;

    @Test
    void finishedKeysAttemptsFailuresAndTheTable() throws Exception {
        for (String sub : List.of("results", "failures", "attempts")) {
            Files.createDirectories(dir.resolve(sub));
        }
        SweepResults r = new SweepResults(dir.toString());
        assertTrue(r.finished().isEmpty());

        SweepConfig c = new SweepConfig();
        c.latentDim = 10;
        c.prior = "mog";
        c.components = 3;
        c.likelihood = "bernoulli";
        c.arch = "mlp";
        c.levels = 1;
        c.epochs = 2;
        c.batchSize = 128;
        c.learningRate = 1e-3;
        c.dataset = "mnist";
        Map<String, Object> failure = new LinkedHashMap<>(Map.of("key", c.key(), "error", "boom"));
        r.recordAttempt(c.key());
        r.recordFailure(c.key(), failure);
        assertTrue(r.finished().isEmpty(), "a failure does not count as finished");

        SweepResult result = c.result(new org.sparkvae.run.ElboReport(86.9, 60.0, 26.9, 10_000), null, 12.5, "configs",
                "models/x.zip");
        r.recordAttempt(result.key());
        r.recordResult(result);
        // Read back typed and equal, and the JSON keeps the field names earlier releases wrote (so their sweeps resume).
        assertEquals(List.of(result), r.rows());
        String json = Files.readString(dir.resolve("results").resolve(result.key() + ".json"));
        for (String field : List.of("\"latentDim\"", "\"test_neg_elbo\"", "\"iwae_k\"", "\"finished_at\"", "\"iwaeImages\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        // A result written by an earlier release (a map; no iwaeImages; an unknown extra field) still reads.
        Files.writeString(dir.resolve("results").resolve("old.json"), "{\"key\":\"old\",\"latentDim\":2,\"prior\":\"gaussian\","
                + "\"test_neg_elbo\":150.5,\"something_new\":1}");
        SweepResult old = r.rows().stream().filter(x -> x.key().equals("old")).findFirst().orElseThrow();
        assertEquals(150.5, old.testNegElbo());
        Files.delete(dir.resolve("results").resolve("old.json"));
        assertEquals(Set.of(result.key()), r.finished());
        assertEquals(2, r.attempts(result.key()));
        assertFalse(Files.exists(dir.resolve("failures").resolve(result.key() + ".json")), "a later success clears the failure");

        SweepRunner.updateCsv(r);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(2, csv.size());
        assertTrue(csv.get(1).startsWith(result.key() + ",10,mog,3,bernoulli,"), csv.get(1));
        assertTrue(csv.get(1).contains(",86.900000,"), csv.get(1));
    }
}
