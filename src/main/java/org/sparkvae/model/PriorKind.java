package org.sparkvae.model;

/** The prior p(z) of a VAE; {@code --prior}. */
public enum PriorKind {
    /** N(0, I): the KL term in closed form. */
    GAUSSIAN,
    /** A trainable mixture of K diagonal Gaussians: one-sample Monte Carlo KL. */
    MOG,
    /** VampPrior: 1/K sum_k q(z | u_k) with K trainable pseudo-inputs u_k; Monte Carlo KL. */
    VAMP;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
