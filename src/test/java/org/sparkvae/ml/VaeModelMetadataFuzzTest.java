package org.sparkvae.ml;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.spark.ml.util.DefaultParamsReader;

import java.nio.charset.StandardCharsets;

/**
 * The metadata of a saved Spark ML VaeModel ({@code path/metadata/part-00000}, JSON written by Spark's
 * DefaultParamsWriter), as anyone can hand a directory to a user: parsed and its Params set on a model. Accepted: the
 * Params set, or the reader's refusal, an {@link IllegalArgumentException} naming the metadata. Anything else (a
 * scala.MatchError, a ClassCastException, an OutOfMemoryError, a hang) is a finding.
 */
class VaeModelMetadataFuzzTest {
    /** Params need no network: no ND4J is loaded (slow under Jazzer's instrumentation), the metadata is what is fuzzed. */
    private static final VaeModel MODEL = new VaeModel("vae_fuzz", null, null, null);

    @FuzzTest(maxDuration = "10m")
    void metadata(byte[] bytes) {
        VaeModel m = MODEL;
        try {
            DefaultParamsReader.Metadata metadata = VaeModel.parseMetadata("m/metadata", new String(bytes, StandardCharsets.UTF_8));
            VaeModel.setParams("m/metadata", metadata, m);
        } catch (IllegalArgumentException expected) {
            // refused in one line
        }
    }
}
