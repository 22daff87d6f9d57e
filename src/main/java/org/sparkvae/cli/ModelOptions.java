package org.sparkvae.cli;

import org.sparkvae.data.DataMode;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.VaeConfig;
import picocli.CommandLine.Option;


/**
 * The model a {@code train} run builds: latent size, prior, likelihood, networks, learning rate and
 * the data mode they imply. Everything here is recorded in the saved model, so evaluate and sample
 * need none of it again.
 */
final class ModelOptions {
    @Option(names = "--latent-dim", defaultValue = "10", description = "Latent dimension M (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(names = "--learning-rate", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--prior", defaultValue = "gaussian", paramLabel = "gaussian|mog|vamp", converter = OptionConverters.Prior.class,
            description = "Prior p(z): standard Gaussian (closed-form KL), a trainable mixture of Gaussians, or the "
                    + "VampPrior with trainable pseudo-inputs (both Monte Carlo KL) (default: ${DEFAULT-VALUE}).")
    PriorKind prior;

    @Option(names = "--components", defaultValue = "10", paramLabel = "K",
            description = "Mixture components of --prior mog, pseudo-inputs of --prior vamp (default: ${DEFAULT-VALUE}).")
    int components;

    @Option(names = "--likelihood", defaultValue = "bernoulli", paramLabel = "bernoulli|gaussian|cb",
            converter = OptionConverters.Likelihood.class,
            description = "Observation model p(x|z): Bernoulli (binary data), Gaussian or continuous Bernoulli "
                    + "(continuous data) (default: ${DEFAULT-VALUE}).")
    LikelihoodKind likelihood;

    @Option(names = "--variance", defaultValue = "learned", paramLabel = "learned|VALUE", converter = OptionConverters.Variance.class,
            description = "Gaussian likelihood: one learned sigma per pixel, or a fixed variance such as 0.1 "
                    + "(default: ${DEFAULT-VALUE}).")
    Double variance;

    @Option(names = "--arch", defaultValue = "mlp", paramLabel = "mlp|cnn", converter = OptionConverters.Arch.class,
            description = "Encoder/decoder networks (default: ${DEFAULT-VALUE}).")
    Architecture arch;

    @Option(names = "--levels", defaultValue = "1", paramLabel = "1|2",
            description = "Latent levels: 2 = hierarchical VAE q(z1|x) q(z2|z1), p(x|z1) p(z1|z2) p(z2), both of size M "
                    + "(default: ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--data-mode", paramLabel = "binary|continuous", converter = OptionConverters.Mode.class,
            description = "Pixels thresholded at 0.5 or scaled to [0, 1]; default: what --likelihood models.")
    DataMode dataMode;

    VaeConfig config() {
        if (variance != null && likelihood != LikelihoodKind.GAUSSIAN) {
            throw new IllegalArgumentException("--variance applies to --likelihood gaussian only");
        }
        return new VaeConfig(VaeConfig.MNIST_PIXELS, VaeConfig.DEFAULT_HIDDEN, latentDim, learningRate,
                prior, components, likelihood, variance, arch, levels);
    }

    /** The data mode: given, or implied by the likelihood; a mismatch is refused. */
    DataMode dataMode(VaeConfig c) {
        if (dataMode == null) {
            return c.likelihood().dataMode();
        }
        DataMode given = dataMode;
        if (given != c.likelihood().dataMode()) {
            throw new IllegalArgumentException("--likelihood " + c.likelihood().cliName() + " models "
                    + c.likelihood().dataMode().cliName() + " data, not --data-mode " + given.cliName()
                    + (c.likelihood() == LikelihoodKind.BERNOULLI
                    ? "; use --likelihood gaussian or cb for continuous pixels"
                    : "; use --likelihood bernoulli for binary pixels"));
        }
        return given;
    }
}
