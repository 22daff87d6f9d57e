package org.sparkvae.cli;

import org.sparkvae.analysis.SampleRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sample}: x ~ p(x|z), z ~ p(z), as a PNG grid, and the decoder means beside it. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw z ~ p(z) and x ~ p(x|z); write a PNG grid of the samples and, beside it (NAME-mean.png), the decoder means.")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "model.zip", paramLabel = "FILE", description = "Model to sample from, any Hadoop path (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--samples", defaultValue = "samples.png", paramLabel = "PNG", description = "Output grid (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--count", defaultValue = "64", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--mean", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also write the decoder means E[x|z] of the same z beside the samples, as NAME-mean.png "
                    + "(default: on; --no-mean to skip). For Gaussian outputs the mean looks far better than a sample.")
    boolean mean;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace existing output PNGs.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        SampleRun.Result r = SampleRun.run(new SampleRun.Spec(model, out, count, mean, seed, overwrite));
        System.out.println("wrote " + r.samples() + " (samples x ~ p(x|z), " + r.model() + ")" + (r.means() == null ? ""
                : " and " + r.means() + " (decoder means E[x|z] of the same z)"));
        return 0;
    }
}
