package org.sparkvae.exec;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.model.Vae;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.run.Topology;
import org.sparkvae.train.TrainingEvents;
import org.sparkvae.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The training loop every front end shares, driven by a fake backend: no network, no Spark, no data. */
class ExecutionBackendTest {
    /** Trains nothing: reports epochs {@code first..epochs} with a loss of 100 - epoch; every ELBO is 50 + calls. */
    private static final class Fake implements ExecutionBackend {
        final List<String> calls = new ArrayList<>();

        @Override
        public TrainingData split(MnistFiles files, MnistFiles.Split split, DataMode mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<SparkSession> spark() {
            return Optional.empty();
        }

        @Override
        public List<EpochRecord> train(Vae vae, TrainingData data, TrainingSettings settings, int firstEpoch,
                                        TrainingEvents events) {
            List<EpochRecord> out = new ArrayList<>();
            for (int e = firstEpoch; e <= settings.epochs(); e++) {
                calls.add("train " + e);
                events.epochStarted(e, 1);
                out.add(events.epochTrained(e, 100 - e, 10));
            }
            return out;
        }

        @Override
        public ElboReport elbo(Vae vae, TrainingData data, int batchSize, long seed, boolean sampling) {
            calls.add("elbo batch " + batchSize + " seed " + seed + " sampling " + sampling);
            return new ElboReport(50 + calls.size(), 40, 10 + calls.size(), 1000);
        }

        @Override
        public IwaeEvaluator.Sums iwae(Vae vae, TrainingData data, int batchSize, long seed, int k) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Topology topology(TrainingSettings settings) {
            return null;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void eachEpochIsEvaluatedRecordedAndToldToTheListenersInOrder() {
        Fake fake = new Fake();
        List<String> told = new ArrayList<>();
        List<EpochRecord> history = new ArrayList<>(List.of(new EpochRecord(1, 99, null, null, null, 1, 10, null)));
        TrainingListener first = (e, h) -> told.add("first " + e.epoch() + "/" + h.size());
        TrainingListener second = (e, h) -> told.add("second " + e.epoch() + "/" + h.size());
        List<EpochRecord> run = fake.fit(null, null, new ExecutionBackend.HeldOut(null, 321), TrainingSettings.local(3, 64, 7),
                2, history, List.of(first, second));
        assertEquals(2, run.size(), "the epochs run");
        assertEquals(history.subList(1, 3), run, "as recorded, with their test terms");
        assertEquals(List.of("train 2", "elbo batch 321 seed 7 sampling true", "train 3", "elbo batch 321 seed 7 sampling true"),
                fake.calls);
        assertEquals(List.of("first 2/2", "second 2/2", "first 3/3", "second 3/3"), told);
        assertEquals(3, history.size());
        assertNull(history.get(0).testNegElbo(), "the resumed epoch stays as it was");
        assertEquals(52.0, history.get(1).testNegElbo());
        assertEquals(54.0, history.get(2).testNegElbo());
        assertEquals(97.0, history.get(2).trainNegElbo());
    }

    @Test
    void withoutHeldOutImagesNothingIsEvaluatedAndAFailingListenerStopsTheRun() {
        Fake fake = new Fake();
        List<EpochRecord> history = new ArrayList<>();
        TrainingListener full = (e, h) -> {
            throw new IOException("disk full");
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> fake.fit(null, null, null, TrainingSettings.local(3, 64, 7), 1, history, List.of(full)));
        assertEquals("disk full", e.getCause().getMessage());
        assertEquals(List.of("train 1"), fake.calls, "no epoch after the one whose checkpoint failed");
        assertNull(history.get(0).testNegElbo());
    }

    @Test
    void settingsAreCheckedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> TrainingSettings.local(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingSettings.local(-1, 10, 0));
    }
}
