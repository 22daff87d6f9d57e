package org.sparkvae.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a trainer tells its listeners, in which order, and the epoch clock that {@link TrainingEvents} keeps for it. */
class TrainingEventsTest {
    /** Writes down every call it gets. */
    private static final class Recorder implements TrainingListener {
        final List<String> log = new ArrayList<>();

        @Override
        public void onEpochStart(int epoch, int epochs, long steps) {
            log.add("start " + epoch + "/" + epochs + " of " + steps);
        }

        @Override
        public void onSteps(long done, double meanLoss) {
            log.add("steps " + done + (Double.isFinite(meanLoss) ? "" : " loss?"));
        }

        @Override
        public void onEpochTrained(EpochRecord trained) {
            log.add("trained " + trained.epoch() + (trained.testNegElbo() == null ? "" : " with test"));
        }

        @Override
        public void onEpoch(EpochRecord epoch, List<EpochRecord> history) {
            log.add(String.format(Locale.ROOT, "epoch %d test %s history %d", epoch.epoch(), epoch.testNegElbo(), history.size()));
        }

        @Override
        public void onStop() {
            log.add("stop");
        }
    }

    @Test
    void theOneJvmTrainerReportsEveryStepAndEpochThenStops() {
        Vae vae = Vae.create(new VaeConfig(16, 8, 2, 1e-3), 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 20, 16).gt(0.5).castTo(DataType.FLOAT);
        Recorder recorder = new Recorder();
        List<EpochRecord> history = new ArrayList<>();
        TrainingEvents events = new TrainingEvents(2, List.of(recorder),
                trained -> trained.withTest(new ElboReport(7, 5, 2, 20)), history);

        List<EpochRecord> trained = new LocalTrainer(new TrainingOptions(2, 8, 1)).train(vae, x, 1, events);

        assertEquals(List.of("start 1/2 of 3", "steps 1", "steps 2", "steps 3", "trained 1", "epoch 1 test 7.0 history 1",
                "start 2/2 of 3", "steps 1", "steps 2", "steps 3", "trained 2", "epoch 2 test 7.0 history 2", "stop"),
                recorder.log);
        assertEquals(2, trained.size());
        assertNull(trained.get(0).testNegElbo(), "the trainer returns what it measured");
        assertEquals(7.0, history.get(1).testNegElbo(), "the history holds the completed epochs");
        assertEquals(trained.get(1).trainNegElbo(), history.get(1).trainNegElbo());
        assertEquals(20, history.get(0).examples());
    }

    @Test
    void aRunThatFailsStillStopsItsListeners() {
        Vae vae = Vae.create(new VaeConfig(16, 8, 2, 1e-3), 1);
        INDArray x = Nd4j.ones(DataType.FLOAT, 20, 16);
        x.getColumn(5).assign(Float.NaN);
        Recorder recorder = new Recorder();
        TrainingEvents events = new TrainingEvents(2, List.of(recorder), e -> e, new ArrayList<>());
        assertThrows(NonFiniteLossException.class, () -> new LocalTrainer(new TrainingOptions(2, 10, 1)).train(vae, x, 1, events));
        assertEquals(List.of("start 1/2 of 2", "stop"), recorder.log, "no step, no epoch, but the bar is closed");
    }

    @Test
    void theEpochClockRunsFromStartToTrainedAndExcludesTheHeldOutEvaluation() throws Exception {
        List<EpochRecord> history = new ArrayList<>();
        TrainingEvents events = new TrainingEvents(1, List.of(), trained -> {
            sleep(300); // a slow held-out evaluation
            return trained;
        }, history);
        events.epochStarted(1, 1);
        sleep(100);
        EpochRecord trained = events.epochTrained(1, 3.0, 50);
        assertTrue(trained.seconds() >= 0.1 && trained.seconds() < 0.3, "seconds " + trained.seconds());
        assertEquals(50 / trained.seconds(), trained.samplesPerSecond(), 1e-9);
        assertEquals(List.of(trained), history);
    }

    @Test
    void aListenerFailureEndsTheEpochWithItsCause() {
        TrainingEvents events = new TrainingEvents(1, List.of((e, h) -> {
            throw new java.io.IOException("disk full");
        }), e -> e, new ArrayList<>());
        events.epochStarted(1, 1);
        assertEquals("disk full", assertThrows(java.io.UncheckedIOException.class,
                () -> events.epochTrained(1, 3.0, 50)).getCause().getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
