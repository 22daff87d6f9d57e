package org.sparkvae.model;

/**
 * Everything that defines a VAE: sizes, prior, likelihood, networks and the optimiser's learning
 * rate. Validated when built; a bad value is a {@link SettingException} worded in these component names, which
 * the CLI maps onto its flags. Saved with every model, so evaluate/sample need no repeated flags.
 * {@link #defaults()} holds the defaults every front end uses.
 *
 * <p>The fields added after the first release are nullable so that configurations saved before
 * them still load: null means the original model (Gaussian prior, Bernoulli likelihood, MLP).
 *
 * @param components K of the mixture prior (ignored by the Gaussian prior)
 * @param levels 1, or 2 for the hierarchical VAE q(z1|x) q(z2|z1), p(x|z1) p(z1|z2) p(z2) with both
 *               latent levels of size latentDim
 * @param fixedVariance Gaussian likelihood only: the fixed pixel variance sigma^2, or null for one
 *                   learned sigma per pixel
 */
public record VaeConfig(int inputSize, int hiddenUnits, int latentDim, double learningRate,
                        PriorKind prior, Integer components, LikelihoodKind likelihood, Double fixedVariance,
                        Architecture arch, Integer levels) {
    public static final int MNIST_PIXELS = 28 * 28;
    public static final int DEFAULT_HIDDEN = 512;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final int DEFAULT_COMPONENTS = 10;

    public VaeConfig {
        if (inputSize <= 0) {
            throw new SettingException("inputSize", "{inputSize} must be positive, got " + inputSize);
        }
        if (hiddenUnits <= 0) {
            throw new SettingException("hiddenUnits", "{hiddenUnits} must be positive, got " + hiddenUnits);
        }
        if (latentDim <= 0) {
            throw new SettingException("latentDim", "{latentDim} must be a positive integer, got " + latentDim);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new SettingException("learningRate", "{learningRate} must be a positive number, got " + learningRate);
        }
        prior = prior == null ? PriorKind.GAUSSIAN : prior;
        components = components == null ? DEFAULT_COMPONENTS : components;
        likelihood = likelihood == null ? LikelihoodKind.BERNOULLI : likelihood;
        arch = arch == null ? Architecture.MLP : arch;
        levels = levels == null ? 1 : levels;
        if (levels != 1 && levels != 2) {
            throw new SettingException("levels", "{levels} must be 1 or 2, got " + levels);
        }
        if (levels == 2 && prior != PriorKind.GAUSSIAN) {
            throw new SettingException("levels", "{levels} 2 has p(z2) = N(0, I); it cannot be combined with {prior} " + prior.cliName());
        }
        if (components <= 0 || components > 10_000) {
            throw new SettingException("components", "{components} must be in 1..10000, got " + components);
        }
        if (fixedVariance != null) {
            if (likelihood != LikelihoodKind.GAUSSIAN) {
                throw new SettingException("fixedVariance", "{fixedVariance} applies to {likelihood} gaussian only (got {likelihood} "
                        + likelihood.cliName() + ")");
            }
            if (!(fixedVariance > 0) || Double.isInfinite(fixedVariance)) {
                throw new SettingException("fixedVariance", "{fixedVariance} must be a positive number, got " + fixedVariance);
            }
        }
        if (arch == Architecture.CNN && inputSize != MNIST_PIXELS) {
            throw new SettingException("arch", "{arch} cnn needs 28x28 images, got " + inputSize + " inputs");
        }
    }

    /** The defaults of every front end: the exercise's model, M = 10. */
    public static VaeConfig defaults() {
        return mnist(10);
    }

    /** The original model: Gaussian prior, Bernoulli likelihood, MLPs. */
    public VaeConfig(int inputSize, int hiddenUnits, int latentDim, double learningRate) {
        this(inputSize, hiddenUnits, latentDim, learningRate, null, null, null, null, null, null);
    }

    /** The exercise's model for 28x28 images with latent dimension {@code m}. */
    public static VaeConfig mnist(int m) {
        return new VaeConfig(MNIST_PIXELS, DEFAULT_HIDDEN, m, DEFAULT_LEARNING_RATE);
    }

    public VaeConfig withPrior(PriorKind p, int k) {
        return new VaeConfig(inputSize, hiddenUnits, latentDim, learningRate, p, k, likelihood, fixedVariance, arch, levels);
    }

    public VaeConfig withLikelihood(LikelihoodKind l, Double variance) {
        return new VaeConfig(inputSize, hiddenUnits, latentDim, learningRate, prior, components, l, variance, arch, levels);
    }

    public VaeConfig withArch(Architecture a) {
        return new VaeConfig(inputSize, hiddenUnits, latentDim, learningRate, prior, components, likelihood, fixedVariance, a, levels);
    }

    /** The same model for rows of {@code d} values (data from a source other than 28x28 IDX files). */
    public VaeConfig withInputSize(int d) {
        return new VaeConfig(d, hiddenUnits, latentDim, learningRate, prior, components, likelihood, fixedVariance, arch, levels);
    }

    public VaeConfig withLevels(int n) {
        return new VaeConfig(inputSize, hiddenUnits, latentDim, learningRate, prior, components, likelihood, fixedVariance, arch, n);
    }

    /** One line for logs: "M=10 prior=mog(K=10) likelihood=gaussian(sigma learned) arch=mlp". */
    public String describe() {
        String p = prior == PriorKind.GAUSSIAN ? prior.cliName() : prior.cliName() + "(K=" + components + ")";
        String l = likelihood == LikelihoodKind.GAUSSIAN
                ? "gaussian(variance " + (fixedVariance == null ? "learned" : String.valueOf(fixedVariance)) + ")" : likelihood.cliName();
        return "M=" + latentDim + " prior=" + p + " likelihood=" + l + " arch=" + arch.cliName()
                + (levels == 2 ? " levels=2" : "");
    }
}
