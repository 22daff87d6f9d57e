package org.sparkvae.model.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Appends {@code latentDim} columns of noise eps ~ N(0, I) to its input: {@code h -> [h | eps]}.
 *
 * <p><b>Why the noise is drawn here and not in the latent layer's SameDiff graph (DL4J 1.0.0-M2.1).</b>
 * {@code RandomNormal} with a dynamic shape returns the same eps on every pass (the op context is
 * cached and never reseeded), and {@code sd.random().normal(..., shape)} needs a fixed batch size and
 * is re-drawn when backprop re-runs the forward pass, so forward and backward see different eps.
 * Both fail gradient checks. DL4J stores each layer's (preprocessed) input and backprop reuses it, so
 * noise appended here is fresh for every example at every step and identical in the forward and the
 * backward pass. {@code NoiseFreshnessTest} pins both properties.
 *
 * <p>With {@link #setSampling(boolean) sampling off} the noise is zero, so z = mu: deterministic
 * evaluation. The switch is runtime state, never serialised: a saved model always samples.
 */
public final class NoiseAppendingPreProcessor implements InputPreProcessor {
    @JsonProperty private long latentDim;
    @JsonIgnore private transient boolean zeroNoise;
    @JsonIgnore private transient INDArray givenNoise;
    @JsonIgnore private transient int repeats = 1;
    @JsonIgnore private transient int leadingOnce;

    private NoiseAppendingPreProcessor() {
        // for Jackson
    }

    public NoiseAppendingPreProcessor(long latentDim) {
        if (latentDim <= 0) {
            throw new IllegalArgumentException("latentDim must be positive: " + latentDim);
        }
        this.latentDim = latentDim;
    }

    public long latentDim() {
        return latentDim;
    }

    /** true (default): eps ~ N(0, I); false: eps = 0, so the latent layer outputs z = mu. */
    public void setSampling(boolean sampling) {
        this.zeroNoise = !sampling;
    }

    public boolean isSampling() {
        return !zeroNoise;
    }

    /**
     * Uses {@code eps} [n, latentDim] as the noise of the last n rows of every following pass (rows in front
     * of them — the VampPrior's pseudo-inputs, whose z the loss never reads — get zeros), until called with
     * null. Lets a caller draw each example's noise from its own seeded stream (per-row scores that do not
     * depend on batching or partitioning); sampling off still wins.
     */
    public void setGivenNoise(INDArray eps) {
        if (eps != null && (eps.rank() != 2 || eps.size(1) != latentDim)) {
            throw new IllegalArgumentException("noise must be [n, " + latentDim + "], got " + java.util.Arrays.toString(eps.shape()));
        }
        this.givenNoise = eps;
    }

    /**
     * Until called with (1, 0): each input row after the first {@code leadingOnce} is repeated {@code repeats} times
     * (row i's copies next to each other) before the noise is appended, so the layers after this one see K draws of z
     * per row of an encoder that ran once per image (the IWAE pass). The leading rows (the VampPrior's pseudo-inputs)
     * pass once. Inference only: backprop expects one output row per input row.
     */
    public void setRepeats(int repeats, int leadingOnce) {
        if (repeats < 1 || leadingOnce < 0) {
            throw new IllegalArgumentException("repeats must be >= 1 and leadingOnce >= 0: " + repeats + ", " + leadingOnce);
        }
        this.repeats = repeats;
        this.leadingOnce = leadingOnce;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray rows = repeats == 1 ? input : Nd4j.pullRows(input, 1, repeatedRows(input.size(0)), 'c');
        long n = rows.size(0);
        long width = rows.size(1);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), new long[] {n, width + latentDim}, 'c');
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)).assign(rows);
        if (rows != input) {
            rows.close(); // outside DL4J's workspaces: freed now, not when the GC gets to it
        }
        INDArray noise = out.get(NDArrayIndex.all(), NDArrayIndex.interval(width, width + latentDim));
        if (zeroNoise) {
            noise.assign(0);
        } else if (givenNoise != null) {
            long given = givenNoise.size(0);
            if (given > n) {
                throw new IllegalStateException("given noise has " + given + " rows, the batch " + n);
            }
            INDArray eps = givenNoise.castTo(input.dataType());
            // (Built whole and assigned once: a row-interval view of the column view fails in ND4J.)
            noise.assign(given == n ? eps : Nd4j.vstack(Nd4j.zeros(input.dataType(), n - given, latentDim), eps));
        } else {
            noise.assign(Nd4j.randn(input.dataType(), n, latentDim));
        }
        return out;
    }

    private int[] repeatedRows(long n) {
        return repeatedRows(leadingOnce, (int) n - leadingOnce, repeats);
    }

    /** Row indices: {@code 0 .. leadingOnce-1} once, then each of the next {@code rows} rows {@code repeats} times. */
    public static int[] repeatedRows(int leadingOnce, int rows, int repeats) {
        int[] index = new int[leadingOnce + rows * repeats];
        for (int i = 0; i < leadingOnce; i++) {
            index[i] = i;
        }
        for (int i = 0; i < rows; i++) {
            java.util.Arrays.fill(index, leadingOnce + i * repeats, leadingOnce + (i + 1) * repeats, leadingOnce + i);
        }
        return index;
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        long width = output.size(1) - latentDim;
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)), 'c');
    }

    @Override
    public NoiseAppendingPreProcessor clone() {
        NoiseAppendingPreProcessor c = new NoiseAppendingPreProcessor(latentDim);
        c.zeroNoise = zeroNoise;
        return c;
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeFeedForward ff)) {
            throw new IllegalStateException("expected feed-forward input, got " + inputType);
        }
        return InputType.feedForward(ff.getSize() + latentDim);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseAppendingPreProcessor p && p.latentDim == latentDim;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(latentDim);
    }
}
