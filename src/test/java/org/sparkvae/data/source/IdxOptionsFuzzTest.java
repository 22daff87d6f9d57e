package org.sparkvae.data.source;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The idx data source's options, as a user's {@code spark.read.format("idx").option(...)} gives them. Accepted:
 * parsed options, or one of the documented refusals: {@link IllegalArgumentException} (a bad setting, in the
 * source's words) or an {@link IOException} (a path that does not exist or is not IDX). The paths are drawn from
 * local choices only (a fuzzed {@code hdfs://} or {@code s3a://} URL would make the fuzzer a network client); every
 * other option is fuzzed freely. Anything else is a finding.
 */
class IdxOptionsFuzzTest {
    private static final String SLICE = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();
    private static final String[] PATHS = {SLICE, SLICE + "/train-images-idx3-ubyte.gz", SLICE + "/t10k-labels-idx1-ubyte.gz",
        SLICE + "/no-such-file", "src/test/resources/mnist-slice", "", SLICE + "/README.md"};
    private static final String[] KEYS = {"mode", "threshold", "recordsPerPartition", "classes", "split", "MODE", "Threshold", "x"};

    @FuzzTest(maxDuration = "10m")
    void options(FuzzedDataProvider data) throws Exception {
        Map<String, String> m = new HashMap<>();
        if (data.consumeBoolean()) {
            m.put("path", data.pickValue(PATHS));
        }
        if (data.consumeBoolean()) {
            m.put("labels", data.pickValue(PATHS));
        }
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            m.put(data.pickValue(KEYS), data.consumeString(40));
        }
        try {
            IdxOptions o = IdxOptions.parse(new CaseInsensitiveStringMap(m), new org.apache.hadoop.conf.Configuration());
            if (!(o.threshold() >= 0 && o.threshold() < 1) || o.classes() < 0 || o.classes() > 256) {
                throw new AssertionError("accepted out-of-range options: " + o);
            }
        } catch (IllegalArgumentException | IOException expected) {
            // a refusal in the source's words
        }
    }
}
