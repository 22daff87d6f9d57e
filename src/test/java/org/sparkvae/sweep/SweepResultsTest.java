package org.sparkvae.sweep;

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

        Map<String, Object> failure = new LinkedHashMap<>(Map.of("key", "k2", "error", "boom"));
        r.recordAttempt("k2");
        r.recordFailure("k2", failure);
        assertTrue(r.finished().isEmpty(), "a failure does not count as finished");

        Map<String, Object> row = new LinkedHashMap<>(Map.of("key", "k2", "latentDim", 10, "prior", "mog", "test_neg_elbo", 86.9));
        r.recordAttempt("k2");
        r.recordResult("k2", row);
        assertEquals(Set.of("k2"), r.finished());
        assertEquals(2, r.attempts("k2"));
        assertFalse(Files.exists(dir.resolve("failures").resolve("k2.json")), "a later success clears the failure");

        SweepRunner.updateCsv(r);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(2, csv.size());
        assertTrue(csv.get(1).startsWith("k2,10,mog,"), csv.get(1));
        assertTrue(csv.get(1).contains(",86.900000,"), csv.get(1));
    }
}
