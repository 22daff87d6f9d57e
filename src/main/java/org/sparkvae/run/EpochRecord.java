package org.sparkvae.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.sparkvae.run.ElboReport;

import java.util.List;

/**
 * One epoch of a run as it is recorded — in the model's info, {@code NAME.metrics.csv/.parquet} and the curves:
 * the mean training -ELBO, the test-set terms when they were evaluated (null otherwise), wall seconds and
 * samples per second. The JSON names are the metrics files' column names ({@link #COLUMNS}), the one place
 * they are spelled.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EpochRecord(
        @JsonProperty(EPOCH) int epoch,
        @JsonProperty(TRAIN_NEG_ELBO) double trainNegElbo,
        @JsonProperty(TEST_NEG_ELBO) Double testNegElbo,
        @JsonProperty(TEST_RECON) Double testRecon,
        @JsonProperty(TEST_KL) Double testKl,
        @JsonProperty(SECONDS) double seconds,
        @JsonProperty(SAMPLES_PER_SECOND) double samplesPerSecond) {
    public static final String EPOCH = "epoch";
    public static final String TRAIN_NEG_ELBO = "train_neg_elbo";
    public static final String TEST_NEG_ELBO = "test_neg_elbo";
    public static final String TEST_RECON = "test_recon";
    public static final String TEST_KL = "test_kl";
    public static final String SECONDS = "seconds";
    public static final String SAMPLES_PER_SECOND = "samples_per_second";
    /** Columns of the metrics files, in order. */
    public static final List<String> COLUMNS = List.of(EPOCH, TRAIN_NEG_ELBO, TEST_NEG_ELBO, TEST_RECON, TEST_KL, SECONDS,
            SAMPLES_PER_SECOND);

    /** An epoch without test-set evaluation. */
    public static EpochRecord of(EpochMetrics m) {
        return new EpochRecord(m.epoch(), m.trainNegElbo(), null, null, null, m.seconds(), m.samplesPerSecond());
    }

    /** This epoch with the test-set terms. */
    public EpochRecord withTest(ElboReport test) {
        return new EpochRecord(epoch, trainNegElbo, test.negElbo(), test.recon(), test.kl(), seconds, samplesPerSecond);
    }

    /** The value of column {@code name} (null for a test term that was not evaluated). */
    public Number get(String name) {
        return switch (name) {
            case EPOCH -> epoch;
            case TRAIN_NEG_ELBO -> trainNegElbo;
            case TEST_NEG_ELBO -> testNegElbo;
            case TEST_RECON -> testRecon;
            case TEST_KL -> testKl;
            case SECONDS -> seconds;
            case SAMPLES_PER_SECOND -> samplesPerSecond;
            default -> throw new IllegalArgumentException("no column " + name);
        };
    }
}
