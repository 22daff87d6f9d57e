package org.sparkvae.data;

import java.util.Arrays;

/** Images paired with their labels by index (one place pairs them; nothing zips them later). */
public record LabelledImages(IdxImages images, byte[] labels) {
    public LabelledImages {
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** The first {@code n} examples (or all, if there are fewer). */
    public LabelledImages head(int n) {
        int k = Math.min(n, size());
        int ppi = images.pixelsPerImage();
        byte[] px = Arrays.copyOf(images.pixels(), k * ppi);
        return new LabelledImages(new IdxImages(k, images.rows(), images.cols(), px), Arrays.copyOf(labels, k));
    }

    /**
     * Pixels as floats in row-major [n, rows*cols] order, transformed by {@code mode}.
     * This is the only place raw bytes become model inputs.
     */
    public float[] features(DataMode mode) {
        byte[] px = images.pixels();
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = mode.transform(px[i] & 0xFF);
        }
        return out;
    }
}
