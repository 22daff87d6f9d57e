package org.sparkvae.cli;

import org.sparkvae.analysis.DataSummary;
import org.sparkvae.data.DataMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code data-stats}: an IDX dataset described on Spark, read by the executors. */
@Command(name = "data-stats", mixinStandardHelpOptions = true,
        description = "Count the images of an IDX dataset per label and compute its mean pixel on Spark: the executors read "
                + "the files (the idx data source), the driver gets only the results.")
final class DataStatsCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "An MNIST-style directory or an X-images-idx3-ubyte[.gz] file (any Hadoop path).")
    String data;

    @Option(names = "--split", defaultValue = "train", description = "train or test, for a directory (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--data-mode", defaultValue = "continuous", converter = OptionConverters.Mode.class,
            description = "binary or continuous pixels (default: ${DEFAULT-VALUE}).")
    DataMode mode;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() throws Exception {
        System.out.println(DataSummary.run(spark.setup(), data, split, mode).summary());
        return 0;
    }
}
