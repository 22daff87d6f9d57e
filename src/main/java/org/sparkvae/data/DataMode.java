package org.sparkvae.data;

/** How a raw pixel in 0..255 becomes a model input. */
public enum DataMode {
    /** x = 1 if pixel/255 &gt; 0.5 else 0: a fixed threshold applied once, never re-sampled. */
    BINARY {
        @Override
        public float transform(int pixel) {
            return pixel / 255.0 > 0.5 ? 1f : 0f;
        }
    },
    /** x = pixel/255 in [0, 1]. */
    CONTINUOUS {
        @Override
        public float transform(int pixel) {
            return pixel / 255f;
        }
    };

    public abstract float transform(int pixel);

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
