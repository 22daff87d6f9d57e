package org.sparkvae.model;

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

    /** The upstream trap: setSeed(0) does not restart the native generator. If this fails, ND4J fixed it. */
    @Test
    void nd4jIgnoresSeedZero() {
        Nd4j.getRandom().setSeed(0);
        float[] a = draw();
        Nd4j.getRandom().setSeed(0);
        float[] b = draw();
        assertFalse(java.util.Arrays.equals(a, b), "setSeed(0) restarted the stream: the workaround may go");
        Nd4j.getRandom().setSeed(42);
        float[] c = draw();
        Nd4j.getRandom().setSeed(42);
        assertArrayEquals(c, draw(), "other seeds restart it");
    }

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
