package org.sparkvae.model.workarounds;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The only way spark-vae seeds ND4J's random generator.
 *
 * <p><b>Why not {@code Nd4j.getRandom().setSeed(seed)} with the user's seed (ND4J 1.0.0-M2.1).</b>
 * {@code CpuNativeRandom.setSeed(s)} sets the native generator's states to (s, s ^ 0xdeadbeef), and a zero
 * root state does not reliably restart the stream: after {@code setSeed(0)} draws may continue from wherever
 * the generator was (whether they do depends on its earlier state). Seed 0 is our CLI's default, so evaluation,
 * sampling and the weight initialisation ({@code MultiLayerNetwork.init()} seeds with the configuration's seed)
 * were not reproducible. {@code Nd4jSeedsTest} pins the repair. Every seed is therefore mixed (SplitMix64's finaliser, a bijection)
 * and the two values that give a zero state are moved.
 */
public final class Nd4jSeeds {
    private static final long NODE_XOR = 0xdeadbeefL;

    private Nd4jSeeds() { }

    /** A seed ND4J's native generator honours, derived from {@code seed} alone (distinct seeds stay distinct but for two). */
    public static long of(long seed) {
        long z = splitMix(seed + 0x9E3779B97F4A7C15L);
        return z == 0 || z == NODE_XOR ? z + 1 : z;
    }

    /** SplitMix64's finaliser: a bijection of the longs that sends nearby inputs to unrelated outputs. */
    public static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Restarts this thread's ND4J generator at a state determined by {@code seed}. */
    public static void seed(long seed) {
        Nd4j.getRandom().setSeed(of(seed));
    }
}
