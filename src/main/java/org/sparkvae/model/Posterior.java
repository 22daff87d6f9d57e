package org.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** q(z|x) for a batch: means, log-stds and one sample z (= mu when sampling is off), each [n, M]. */
public record Posterior(INDArray mu, INDArray logSigma, INDArray z) { }
