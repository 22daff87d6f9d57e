package org.sparkvae.model.store;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sparkvae.fuzz.Fuzz;

import java.io.IOException;

/**
 * Model files as anyone can hand them to a user: the zip (entries, {@code configuration.json} against its
 * allow-list, the ND4J array headers and buffers) and the model-info JSON. Accepted: a loaded model, or the
 * reader's refusal, an {@link IOException} ("...; not loaded"; Jackson's parse and mapping errors are
 * IOExceptions too). Anything else (another exception, an OutOfMemoryError, a hang) is a finding.
 */
class ModelZipFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void modelZip(byte[] bytes) {
        try {
            ModelZipReader.read(Fuzz.file("m.zip", bytes));
        } catch (IOException expected) {
            // refused in one line
        }
    }

    @FuzzTest(maxDuration = "10m")
    void modelInfoJson(byte[] bytes) {
        try {
            ModelInfo info = ModelStore.json().readValue(bytes, ModelInfo.class);
            if (info != null && info.config() != null) {
                info.shape(); // what readers compute from it
            }
        } catch (IOException expected) {
            // not valid model information
        }
    }
}
