package org.sparkvae.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mean test -ELBO and its two terms over n images (nats per image). */
public record ElboReport(
        @JsonProperty("test_neg_elbo") double negElbo,
        @JsonProperty("test_recon") double recon,
        @JsonProperty("test_kl") double kl,
        @JsonProperty("n") long n) { }
