package org.sparkvae.cli;

import org.sparkvae.train.PpcaRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ppca}: the closed-form probabilistic-PCA baseline with its exact test log-likelihood. */
@Command(name = "ppca", mixinStandardHelpOptions = true,
        description = "Fit probabilistic PCA in closed form (distributed covariance on Spark MLlib) on continuous pixels "
                + "and report the exact test log-likelihood: the baseline a Gaussian VAE must beat.")
final class PpcaCommand implements Callable<Integer> {
    @Option(names = "--latent-dim", defaultValue = "10", description = "Latent dimension q (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the metrics as JSON here (atomically; refused if it exists).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        data.idxOnly();
        PpcaRun.Result r = PpcaRun.run(new PpcaRun.Spec(latentDim, data::resolve, spark.setup(), out, overwrite));
        System.out.println(r.summary());
        if (out != null) {
            r.writeJson(out);
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
