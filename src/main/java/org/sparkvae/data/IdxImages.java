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

    /**
     * MD5 of the file content this was parsed from (header + pixels), the same as the MD5 of the
     * uncompressed IDX file, without reading it again.
     */
    public String contentMd5() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");
            md.update(java.nio.ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).array());
            md.update(pixels);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unsigned value of pixel {@code p} of image {@code i}, in 0..255. */
    public int pixel(int i, int p) {
        return pixels[i * pixelsPerImage() + p] & 0xFF;
    }
}
