package org.sparkvae.cli;

import org.sparkvae.data.Dataset;
import org.sparkvae.data.DatasetFetcher;
import org.sparkvae.data.MnistFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --data}: where the IDX files are (any Hadoop path). Absent, the default directory is
 * used and real MNIST is fetched into it when it holds nothing yet.
 */
final class DataOptions {
    static final String DEFAULT_DIR = "data/mnist";

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory (file:, hdfs:, s3a: ...) with the four IDX files, plain or .gz. "
                    + "Default: " + DEFAULT_DIR + ", fetched there if empty.")
    String dir;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "0",
            description = "Declared number of classes (e.g. 47 for EMNIST balanced): a label outside 0..N-1 is refused. "
                    + "Default: from the data (largest label + 1).")
    int classes;

    /** The data directory to read, fetching MNIST into the default one when needed. */
    MnistFiles resolve() throws IOException {
        if (classes < 0 || classes > 256) {
            throw new IllegalArgumentException("--classes must be in 1..256 (labels are bytes), got " + classes);
        }
        if (dir != null) {
            return new MnistFiles(dir).withClasses(classes);
        }
        return fetchIfMissing(Path.of(DEFAULT_DIR), Dataset.MNIST).withClasses(classes);
    }

    /** The IDX files in {@code dir}, fetching {@code dataset} there first when it does not hold all four. */
    static MnistFiles fetchIfMissing(Path dir, Dataset dataset) throws IOException {
        return DatasetFetcher.fetchIfMissing(dir, dataset);
    }
}
