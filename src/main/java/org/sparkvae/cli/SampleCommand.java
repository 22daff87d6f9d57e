package org.sparkvae.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.analysis.ImageGrid;
import org.sparkvae.io.AtomicFiles;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;
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
        if (count <= 0 || count > 4096) {
            throw new IllegalArgumentException("--count must be in 1..4096, got " + count);
        }
        Path meanOut = meanPathFor(out);
        if (!overwrite) {
            for (Path p : mean ? java.util.List.of(out, meanOut) : java.util.List.of(out)) {
                AtomicFiles.refuseExisting(p, "pass --overwrite to replace it or choose another --samples");
            }
        }
        Vae vae = ModelStore.load(model).vae();
        org.sparkvae.model.workarounds.Nd4jSeeds.seed(seed);
        INDArray z = vae.samplePrior(count);
        INDArray samples = vae.sampleObservation(z);
        int columns = (int) Math.ceil(Math.sqrt(count));
        ImageGrid.writePng(samples, 28, 28, columns, 2, out);
        if (mean) {
            ImageGrid.writePng(vae.decodeMean(z), 28, 28, columns, 2, meanOut);
            System.out.println("wrote " + out + " (samples x ~ p(x|z), " + vae.config().describe() + ") and " + meanOut
                    + " (decoder means E[x|z] of the same z)");
        } else {
            System.out.println("wrote " + out + " (samples x ~ p(x|z), " + vae.config().describe() + ")");
        }
        return 0;
    }

    static Path meanPathFor(Path png) {
        String name = png.getFileName().toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        return png.resolveSibling(base + "-mean.png");
    }
}
