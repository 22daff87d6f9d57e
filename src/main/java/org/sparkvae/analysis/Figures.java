package org.sparkvae.analysis;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkvae.model.Posterior;
import org.sparkvae.model.Vae;

/** The image grids of a run report, as [n, 784] arrays ready for {@link ImageGrid}. */
public final class Figures {
    private Figures() { }

    /**
     * Test images and their reconstructions E[x|z], z ~ q(z|x), in alternating rows of {@code columns}:
     * originals, reconstructions, originals, ...
     */
    public static INDArray reconstructions(Vae vae, INDArray x, int columns) {
        Posterior q = vae.encode(x);
        INDArray recon = vae.decodeMean(q.z());
        long n = x.size(0);
        INDArray out = Nd4j.create(recon.dataType(), 2 * n, x.size(1));
        for (long row = 0; row * columns < n; row++) {
            long from = row * columns;
            long to = Math.min(n, from + columns);
            out.get(NDArrayIndex.interval(2 * from, 2 * from + (to - from)), NDArrayIndex.all())
                    .assign(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            out.get(NDArrayIndex.interval(2 * from + (to - from), 2 * to), NDArrayIndex.all())
                    .assign(recon.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
        }
        return out;
    }

    /**
     * A strip from image a to image b: a, then E[x|z] for z on the straight line between their
     * posterior means mu_a and mu_b ({@code steps} points including both ends), then b.
     */
    public static INDArray interpolation(Vae vae, INDArray a, INDArray b, int steps) {
        boolean previous = vae.setSampling(false);
        try {
            INDArray muA = vae.encode(a.reshape(1, -1)).mu();
            INDArray muB = vae.encode(b.reshape(1, -1)).mu();
            INDArray z = Nd4j.create(muA.dataType(), steps, muA.size(1));
            for (int i = 0; i < steps; i++) {
                double t = steps == 1 ? 0 : (double) i / (steps - 1);
                z.getRow(i).assign(muA.mul(1 - t).add(muB.mul(t)));
            }
            INDArray decoded = vae.decodeMean(z);
            return Nd4j.vstack(a.reshape(1, -1).castTo(decoded.dataType()), decoded, b.reshape(1, -1).castTo(decoded.dataType()));
        } finally {
            vae.setSampling(previous);
        }
    }
}
