package org.sparkvae.data;

import org.sparkvae.io.MissingInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Locates the four IDX files of an MNIST-style dataset in a directory (any Hadoop path); each may be
 * plain or {@code .gz}. Reports a missing directory or file by name.
 */
public final class MnistFiles {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Which half of the dataset, and its two files' base names. */
    public enum Split {
        TRAIN(TRAIN_IMAGES, TRAIN_LABELS), TEST(TEST_IMAGES, TEST_LABELS);

        public final String images;
        public final String labels;

        Split(String images, String labels) {
            this.images = images;
            this.labels = labels;
        }
    }

    private final String dir;
    private final Configuration hadoopConf;
    private final int classes;

    public MnistFiles(String dir, Configuration hadoopConf) {
        this(dir, hadoopConf, 0);
    }

    private MnistFiles(String dir, Configuration hadoopConf, int classes) {
        this.dir = dir;
        this.hadoopConf = hadoopConf;
        this.classes = classes;
    }

    /**
     * The same files with a declared class count (47 for EMNIST balanced, say): a label outside 0..classes-1 fails
     * the read with one line, and plots colour all {@code classes} classes. 0: the classes come from the data.
     */
    public MnistFiles withClasses(int classes) {
        if (classes < 0 || classes > 256) {
            throw new IllegalArgumentException("classes must be in 1..256 (labels are bytes), got " + classes);
        }
        return new MnistFiles(dir, hadoopConf, classes);
    }

    /** The declared class count, or 0 when the classes come from the data (the largest label + 1). */
    public int classes() {
        return classes;
    }

    public MnistFiles(String dir) {
        this(dir, new Configuration());
    }

    public String dir() {
        return dir;
    }

    /** True when the directory exists and holds all four files. */
    public boolean isComplete() throws IOException {
        for (String name : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
            if (find(name) == null) {
                return false;
            }
        }
        return true;
    }

    /** Path of {@code baseName} or {@code baseName.gz} in the directory. */
    public String resolve(String baseName) throws IOException {
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem(hadoopConf);
        if (!fs.exists(d)) {
            // (The command to run shows the directory again: a value, so it is kept out of the template's names.)
            throw new MissingInputException(dir, ": data directory does not exist (run `spark-vae fetch-data --dir "
                    + dir.replaceAll("[{}]", "?") + "` or pass {data} DIR)");
        }
        if (!fs.getFileStatus(d).isDirectory()) {
            throw new FileNotFoundException(dir + ": not a directory");
        }
        String found = find(baseName);
        if (found == null) {
            throw new FileNotFoundException(dir + ": missing " + baseName + " (or " + baseName + ".gz)");
        }
        return found;
    }

    public LabelledImages read(Split split) throws IOException {
        IdxReader reader = new IdxReader(hadoopConf);
        return reader.readPair(resolve(split.images), resolve(split.labels));
    }

    /** Reads a split and checks that its images are 28x28, as every model here expects. */
    public LabelledImages read28x28(Split split) throws IOException {
        LabelledImages data = read(split);
        IdxImages im = data.images();
        if (im.rows() != 28 || im.cols() != 28) {
            throw new IdxFormatException(resolve(split.images), "images are " + im.rows() + "x" + im.cols() + ", expected 28x28");
        }
        if (data.size() == 0) {
            throw new IdxFormatException(resolve(split.images), "holds no images");
        }
        for (int i = 0; classes > 0 && i < data.size(); i++) {
            if (data.label(i) >= classes) {
                throw IdxFormatException.labelOutside(resolve(split.labels), data.label(i), i, classes);
            }
        }
        return data;
    }

    /**
     * {@code p} made absolute against this JVM's working directory, as Spark's own file sources qualify a path on the
     * driver before any task sees it: the executors read the files themselves, and a relative path would resolve
     * against each executor's own directory (a standalone worker's {@code app-…/0/}). A local path given without a
     * scheme stays without one ({@code /home/u/data/mnist}: the name the user knows, in every message); other file
     * systems get their scheme and authority.
     */
    public static Path qualify(Path p, Configuration conf) throws IOException {
        Path q = p.getFileSystem(conf).makeQualified(p);
        if (p.toUri().getScheme() == null && "file".equals(q.toUri().getScheme())) {
            return Path.getPathWithoutSchemeAndAuthority(q);
        }
        return q;
    }

    private String find(String baseName) throws IOException {
        Path d = qualify(new Path(dir), hadoopConf);
        FileSystem fs = d.getFileSystem(hadoopConf);
        for (String candidate : new String[] {baseName, baseName + ".gz"}) {
            Path p = new Path(d, candidate);
            if (fs.exists(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
