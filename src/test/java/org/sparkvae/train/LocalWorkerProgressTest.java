package org.sparkvae.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two trainings in one driver (a CrossValidator fitting in parallel) count their own minibatches and losses. */
class LocalWorkerProgressTest {
    @Test
    void eachTrainingHasItsOwnCounters() {
        LocalWorkerProgress.Tally a = LocalWorkerProgress.tally(11);
        LocalWorkerProgress.Tally b = LocalWorkerProgress.tally(12);
        try {
            assertSame(a, LocalWorkerProgress.tally(11), "a worker's copy finds its training's counters");
            a.add(0, 100);
            a.add(1, 200);
            b.add(0, 7);
            assertEquals(2, a.steps());
            assertEquals(1, b.steps());
            assertEquals(150, a.epochMeanLoss());
            assertEquals(7, b.epochMeanLoss());
            b.startEpoch(); // a new epoch of one training does not clear the other's
            assertTrue(Double.isNaN(b.epochMeanLoss()));
            assertEquals(150, a.epochMeanLoss());
            assertEquals(1, b.steps(), "steps count over the run");
        } finally {
            LocalWorkerProgress.release(11);
            LocalWorkerProgress.release(12);
        }
        assertNotSame(a, LocalWorkerProgress.tally(11), "released counters are forgotten");
        LocalWorkerProgress.release(11);
    }
}
