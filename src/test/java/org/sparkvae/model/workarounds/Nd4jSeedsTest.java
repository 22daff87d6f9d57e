package org.sparkvae.model.workarounds;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class Nd4jSeedsTest {
    private static float[] draw() {
        return Nd4j.randn(DataType.FLOAT, 4, 5).data().asFloat();
    }

    // The upstream trap itself (setSeed(0) not restarting the native generator) is not pinned here: whether it
    // restarts depends on the generator's earlier state in ways we could not fix to one sequence (a test of it
    // failed or passed with the order of the test classes in the JVM). Our code never passes 0 (Nd4jSeeds mixes
    // every seed), which the test below pins.

    @Test
    void everySeedRestartsTheStreamZeroIncluded() {
        for (long seed : new long[] {0, 1, -1, 0xdeadbeefL, Long.MIN_VALUE}) {
            Nd4jSeeds.seed(seed);
            float[] a = draw();
            draw();
            Nd4jSeeds.seed(seed);
            assertArrayEquals(a, draw(), "seed " + seed);
        }
        Nd4jSeeds.seed(0);
        float[] zero = draw();
        Nd4jSeeds.seed(1);
        assertFalse(java.util.Arrays.equals(zero, draw()));
        assertNotEquals(0, Nd4jSeeds.of(0));
    }
}
