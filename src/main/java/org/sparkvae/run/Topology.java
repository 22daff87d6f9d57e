package org.sparkvae.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How Spark trained a model: its master, the workers whose parameters were averaged, and how often. */
public record Topology(@JsonProperty("master") String master, @JsonProperty("workers") int workers,
                       @JsonProperty("averaging_frequency") int averagingFrequency) { }
