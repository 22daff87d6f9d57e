package org.sparkvae.model;

import org.sparkvae.data.DataMode;

/** The observation model p(x|z) of a VAE; {@code --likelihood}. */
public enum LikelihoodKind {
    /** Product of Bernoullis over pixels (decoder outputs logits): binary data only. */
    BERNOULLI(DataMode.BINARY),
    /** Product of Gaussians (decoder outputs means; sigma fixed or learned per pixel): continuous data. */
    GAUSSIAN(DataMode.CONTINUOUS),
    /** Continuous Bernoulli (decoder outputs logits) with its normaliser: continuous data in [0, 1]. */
    CB(DataMode.CONTINUOUS);

    private final DataMode dataMode;

    LikelihoodKind(DataMode dataMode) {
        this.dataMode = dataMode;
    }

    /** The data this likelihood is a density (or mass function) of. */
    public DataMode dataMode() {
        return dataMode;
    }

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
