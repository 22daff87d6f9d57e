package org.sparkvae.train;

/** Training produced a NaN or infinite loss: the run stops rather than write a broken model. */
public final class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(int epoch, int step, double loss) {
        super("loss became " + loss + " at epoch " + epoch + ", step " + step
                + "; stopping (try a smaller learning rate or check the data)");
    }
}
