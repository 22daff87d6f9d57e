package org.sparkvae.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Height x width of the images a model takes: needed for the PNGs and the CNN; the MLP takes any
 * D = height x width values per row. Written {@code HxW} (in flags, model info and column metadata).
 */
public record ImageShape(int height, int width) {
    public static final ImageShape MNIST = new ImageShape(28, 28);

    public ImageShape {
        if (height <= 0 || width <= 0 || (long) height * width > 1 << 24) {
            throw new IllegalArgumentException("image shape must be HxW with positive H and W and at most 16,777,216 pixels, got "
                    + height + "x" + width);
        }
    }

    /** {@code "28x28"} -> 28 x 28; anything else is refused with the expected form. */
    @JsonCreator
    public static ImageShape parse(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})x(\\d{1,9})").matcher(s == null ? "" : s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("image shape must be HxW (e.g. 28x28), got " + s);
        }
        return new ImageShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public int pixels() {
        return height * width;
    }

    @JsonValue
    @Override
    public String toString() {
        return height + "x" + width;
    }
}
