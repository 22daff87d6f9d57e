package org.sparkvae.data;

/**
 * Images of one IDX file: {@code count} images of {@code rows x cols} unsigned bytes, row-major,
 * image after image. The pixel array is owned by this object and never copied on access.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixel array holds " + pixels.length + " bytes, not "
                    + count + "x" + rows + "x" + cols);
        }
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Unsigned value of pixel {@code p} of image {@code i}, in 0..255. */
    public int pixel(int i, int p) {
        return pixels[i * pixelsPerImage() + p] & 0xFF;
    }
}
