package org.sparkvae.train;

/** Training produced a NaN or infinite loss: the run stops rather than write a broken model. */
public final class NonFiniteLossException extends RuntimeException {
    /** The divergence check both trainers run after every step (a minibatch, or an averaging round): {@code loss} if finite. */
    public static double check(double loss, int epoch, int step) {
        if (!Double.isFinite(loss)) {
            throw new NonFiniteLossException(epoch, step, loss);
        }
        return loss;
    }

    public NonFiniteLossException(int epoch, int step, double loss) {
        super("loss became " + loss + " at epoch " + epoch + ", step " + step
                + "; stopping (try a smaller learning rate or check the data)");
    }
}
