package org.sparkvae.model;

/** Encoder/decoder networks; {@code --arch}. */
public enum Architecture {
    /** The exercise's MLPs: D-H-H-2M and M-H-H-D. */
    MLP,
    /** Convolutional encoder (conv, conv, dense) and decoder (dense, deconv, deconv) for 28x28 images. */
    CNN;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
