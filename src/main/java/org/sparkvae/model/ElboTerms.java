package org.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-example terms of the negative ELBO for a batch: reconstruction -log p(x|z) and KL, each [n]. */
public record ElboTerms(INDArray recon, INDArray kl) {
    public INDArray negElbo() {
        return recon.add(kl);
    }
}
