package org.sparkvae.cli;

import org.sparkvae.data.KnownDataset;
import org.sparkvae.data.DatasetFetcher;
import org.sparkvae.data.FrameSource;
import org.sparkvae.data.ImageShape;
import org.sparkvae.data.MnistFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --data}: where the IDX files are (any Hadoop path). Absent, the default directory is
 * used and real MNIST is fetched into it when it holds nothing yet. With {@code --data-format} (train and evaluate):
 * rows from any Spark data source instead.
 */
final class DataOptions {
    static final String DEFAULT_DIR = "data/mnist";

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory (file:, hdfs:, s3a: ...) with the four IDX files, plain or .gz. "
                    + "Default: " + DEFAULT_DIR + ", fetched there if empty. With --data-format: the rows to read.")
    String dir;

    @Option(names = "--data-format", paramLabel = "FORMAT", defaultValue = "idx",
            description = "train, evaluate, project: a Spark data source (parquet, orc, json, ...) whose rows hold a `features` vector or "
                    + "array in [0, 1] and optionally an integer `label`; read by the executors (not with --single-jvm). "
                    + "Default: ${DEFAULT-VALUE} (an MNIST-style directory).")
    String format;

    @Option(names = "--test-data", paramLabel = "PATH",
            description = "With --data-format: the held-out rows (train: the per-epoch test ELBO, none without them; "
                    + "evaluate, project: the rows to use instead of --data).")
    String testData;

    @Option(names = "--image-shape", paramLabel = "HxW",
            description = "With --data-format: the images' height x width (default: the features column's metadata, if any). "
                    + "The MLP takes any D values per row; the CNN needs 28x28.")
    String imageShape;

    /** Rows from a Spark data source ({@code --data-format}), or null for IDX files. */
    FrameSource frames() {
        if ("idx".equals(format)) {
            if (testData != null || imageShape != null) {
                throw new IllegalArgumentException((testData != null ? "--test-data" : "--image-shape")
                        + " applies to --data-format other than idx (the IDX directory has its own test split and 28x28 shape)");
            }
            return null;
        }
        if (dir == null) {
            throw new IllegalArgumentException("--data-format " + format + " needs --data PATH (the rows to read)");
        }
        return new FrameSource(dir, testData, format, imageShape == null ? null : ImageShape.parse(imageShape));
    }

    @Option(names = "--classes", paramLabel = "N", defaultValue = "0",
            description = "Declared number of classes (e.g. 47 for EMNIST balanced): a label outside 0..N-1 is refused. "
                    + "Default: from the data (largest label + 1).")
    int classes;

    /** Refuses the data-source flags in a command that reads IDX directories only (report, ppca). */
    void idxOnly() {
        if (!"idx".equals(format) || testData != null || imageShape != null) {
            throw new IllegalArgumentException("--data-format, --test-data and --image-shape apply to train, evaluate and project; "
                    + "this command reads an IDX directory");
        }
    }

    /** The data directory to read, fetching MNIST into the default one when needed. */
    MnistFiles resolve() throws IOException {
        idxOnly();
        if (classes < 0 || classes > 256) {
            throw new IllegalArgumentException("--classes must be in 1..256 (labels are bytes), got " + classes);
        }
        if (dir != null) {
            return new MnistFiles(dir).withClasses(classes);
        }
        return fetchIfMissing(Path.of(DEFAULT_DIR), KnownDataset.MNIST).withClasses(classes);
    }

    /** The IDX files in {@code dir}, fetching {@code dataset} there first when it does not hold all four. */
    static MnistFiles fetchIfMissing(Path dir, KnownDataset dataset) throws IOException {
        return DatasetFetcher.fetchIfMissing(dir, dataset);
    }
}
