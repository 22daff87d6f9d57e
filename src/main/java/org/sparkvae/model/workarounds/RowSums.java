package org.sparkvae.model.workarounds;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Row sums of an [n, width] SameDiff variable.
 *
 * <p><b>Why not just {@code v.sum(1)} (ND4J 1.0.0-M2.1 bug).</b> A reduction along a dimension of
 * size 1 is treated as a no-op whose input is never set, and the graph fails with a
 * NullPointerException in {@code BaseReduceOp.noOp} (e.g. M = 1, or one pixel).
 * {@code PriorAndLikelihoodTest} and {@code GradientCheckTest} cover width 1. A reshape gives the
 * same [n] result with the same gradient.
 */
public final class RowSums {
    private RowSums() { }

    public static SDVariable of(SDVariable v, long width) {
        return width == 1 ? v.reshape(-1) : v.sum(1);
    }
}
