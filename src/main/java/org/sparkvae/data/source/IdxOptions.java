package org.sparkvae.data.source;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.sparkvae.data.DataMode;

import java.io.Serializable;
import java.util.Locale;
import org.sparkvae.data.MnistFiles;

/**
 * The data source's options, validated, with the settings named in every error.
 *
 * @param imagesPath the images file (resolved from a directory and {@code split} when a directory was given)
 * @param labelsPath its labels file: the {@code labels} option, or the images file's twin
 * @param recordsPerPartition records per task; 0 = about 64 MB of pixels each
 * @param classes the declared number of classes (e.g. 47 for EMNIST balanced), 0 if not declared: a label outside
 *                0..classes-1 fails the read
 */
record IdxOptions(String imagesPath, String labelsPath, DataMode mode, double threshold, long recordsPerPartition,
                  int classes) implements Serializable {
    static final long TARGET_PARTITION_BYTES = 64L << 20;

    static IdxOptions parse(CaseInsensitiveStringMap options, org.apache.hadoop.conf.Configuration conf) throws java.io.IOException {
        String path = options.get("path");
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("idx data source: no path: use spark.read.format(\"idx\").load(DIR_OR_IMAGES_FILE)");
        }
        String modeName = options.getOrDefault("mode", "binary").toLowerCase(Locale.ROOT);
        DataMode mode;
        try {
            mode = DataMode.valueOf(modeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("idx data source: option mode must be binary or continuous, got '" + modeName + "'");
        }
        double threshold = number(options, "threshold", "0.5");
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("idx data source: option threshold must be in [0, 1), got " + threshold);
        }
        long perPartition = (long) number(options, "recordsPerPartition", "0");
        if (perPartition < 0) {
            throw new IllegalArgumentException("idx data source: option recordsPerPartition must be positive, got " + perPartition);
        }
        double classes = number(options, "classes", "0");
        if (classes < 0 || classes > 256 || classes != Math.rint(classes)) {
            throw new IllegalArgumentException("idx data source: option classes must be a whole number in 1..256 "
                    + "(labels are bytes), got " + options.get("classes"));
        }
        String split = options.getOrDefault("split", "train").toLowerCase(Locale.ROOT);
        if (!split.equals("train") && !split.equals("test")) {
            throw new IllegalArgumentException("idx data source: option split must be train or test, got '" + split + "'");
        }
        // Qualified here, on the driver, as Spark's own file sources do (FileSystem.makeQualified against the
        // driver's working directory): the executors read these files themselves, and a relative path would
        // resolve against each executor's directory (a standalone worker's app-…/0/), not the user's.
        org.apache.hadoop.fs.FileSystem fs = new Path(path).getFileSystem(conf);
        Path p = new Path(qualify(path, conf));
        if (!fs.exists(p)) {
            throw new java.io.FileNotFoundException(path + ": no such file");
        }
        String images;
        if (fs.getFileStatus(p).isDirectory()) {
            // The directory's layout and its gz fallback are MnistFiles' (one place for the MNIST file names).
            images = new MnistFiles(p.toString(), conf)
                    .resolve(split.equals("train") ? MnistFiles.TRAIN_IMAGES : MnistFiles.TEST_IMAGES);
        } else {
            images = p.toString();
        }
        String labels = options.get("labels");
        if (labels != null) {
            labels = qualify(labels, conf);
        } else {
            String name = new Path(images).getName();
            if (!name.contains("-images-idx3-ubyte")) {
                throw new IllegalArgumentException("idx data source: " + images + " is not named X-images-idx3-ubyte[.gz]: "
                        + "give its labels file with option labels");
            }
            String twin = new Path(new Path(images).getParent(), name.replace("-images-idx3-ubyte", "-labels-idx1-ubyte")
                    .replaceAll("\\.gz$", "")).toString();
            labels = existing(fs, twin, images + ": no labels file " + twin + " (or .gz) beside it: give one with option labels");
        }
        return new IdxOptions(images, labels, mode, threshold, perPartition, (int) classes);
    }

    /** {@code path} made absolute against the driver's working directory: see {@link org.sparkvae.data.MnistFiles#qualify}. */
    static String qualify(String path, org.apache.hadoop.conf.Configuration conf) throws java.io.IOException {
        return MnistFiles.qualify(new Path(path), conf).toString();
    }

    private static double number(CaseInsensitiveStringMap options, String key, String dflt) {
        String v = options.getOrDefault(key, dflt);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("idx data source: option " + key + " must be a number, got '" + v + "'");
        }
    }

    private static String existing(org.apache.hadoop.fs.FileSystem fs, String base, String message) throws java.io.IOException {
        for (String candidate : new String[] {base, base + ".gz"}) {
            if (fs.exists(new Path(candidate))) {
                return candidate;
            }
        }
        throw new java.io.FileNotFoundException(message);
    }

    /** Pixel value to model input: binary uses {@link #threshold} (pixel/255 &gt; threshold), continuous pixel/255. */
    double transform(int pixel) {
        // Continuous as the float pipeline computes it (pixel / 255f), so both paths give the model the same inputs.
        return mode == DataMode.BINARY ? (pixel / 255.0 > threshold ? 1.0 : 0.0) : (double) (pixel / 255f);
    }
}
