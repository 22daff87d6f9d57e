package org.sparkvae.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.sparkvae.run.ElboReport;

import java.util.List;

/**
 * One epoch of training, the one type for it: what a trainer reports when the epoch ends, what listeners see and what
 * is recorded in the model's info, {@code NAME.metrics.csv/.parquet} and the curves. The mean training -ELBO, the
 * test-set terms when they were evaluated (null otherwise), wall seconds, samples per second and the number of
 * examples trained on (null in infos saved before it was recorded). The JSON names are the metrics files' column
 * names ({@link #COLUMNS}, the one place they are spelled); the example count is the info's alone.
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
        @JsonProperty(SAMPLES_PER_SECOND) double samplesPerSecond,
        @JsonProperty(EXAMPLES) Long examples) {
    public static final String EPOCH = "epoch";
    public static final String TRAIN_NEG_ELBO = "train_neg_elbo";
    public static final String TEST_NEG_ELBO = "test_neg_elbo";
    public static final String TEST_RECON = "test_recon";
    public static final String TEST_KL = "test_kl";
    public static final String SECONDS = "seconds";
    public static final String SAMPLES_PER_SECOND = "samples_per_second";
    public static final String EXAMPLES = "examples";
    /** Columns of the metrics files, in order. */
    public static final List<String> COLUMNS = List.of(EPOCH, TRAIN_NEG_ELBO, TEST_NEG_ELBO, TEST_RECON, TEST_KL, SECONDS,
            SAMPLES_PER_SECOND);

    /** An epoch as a trainer ends it: {@code examples} trained on in {@code seconds}, no test-set terms yet. */
    public static EpochRecord trained(int epoch, double trainNegElbo, double seconds, long examples) {
        return new EpochRecord(epoch, trainNegElbo, null, null, null, seconds, examples / seconds, examples);
    }

    /** This epoch with the test-set terms. */
    public EpochRecord withTest(ElboReport test) {
        return new EpochRecord(epoch, trainNegElbo, test.negElbo(), test.recon(), test.kl(), seconds, samplesPerSecond, examples);
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
