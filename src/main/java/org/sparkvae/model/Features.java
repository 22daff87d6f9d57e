package org.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;

/** Bridges the data package (which has no DL4J in it) and the model: images to an [n, D] float matrix. */
public final class Features {
    private Features() { }

    public static INDArray of(LabelledImages images, DataMode mode) {
        return Nd4j.create(images.features(mode), new long[] {images.size(), images.images().pixelsPerImage()}, 'c');
    }
}
