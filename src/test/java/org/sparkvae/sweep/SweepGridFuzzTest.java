package org.sparkvae.sweep;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Sweep grid YAML files. Accepted: a list of validated configurations, or the grid's refusal: an
 * {@link IllegalArgumentException} naming the grid key (a {@code SettingException} is one) or an {@link IOException}.
 * Anything else, an OutOfMemoryError (a grid that multiplies out beyond bounds, an alias bomb) or a hang is a finding.
 */
class SweepGridFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void grid(byte[] bytes) {
        try {
            for (SweepConfig c : SweepGrid.parse(new ByteArrayInputStream(bytes), "grid.yaml")) {
                c.vaeConfig(); // each point is a valid model setting
                c.key();
            }
        } catch (IllegalArgumentException | IOException expected) {
            // refused in the grid's words
        }
    }
}
