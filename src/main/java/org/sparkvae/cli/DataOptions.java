package org.sparkvae.cli;

import org.sparkvae.data.Dataset;
import org.sparkvae.data.DatasetFetcher;
import org.sparkvae.data.MnistFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
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

    /** The data directory to read, fetching MNIST into the default one when needed. */
    MnistFiles resolve() throws IOException {
        if (dir != null) {
            return new MnistFiles(dir);
        }
        Path def = Path.of(DEFAULT_DIR);
        MnistFiles files = new MnistFiles(def.toString());
        if (!Files.isDirectory(def) || !files.isComplete()) {
            System.err.println("No data in " + DEFAULT_DIR + ": fetching MNIST (" + Dataset.MNIST.source() + ")");
            new DatasetFetcher(def).fetch(Dataset.MNIST);
        }
        return files;
    }
}
