package org.sparkvae.cli;

import org.junit.jupiter.api.Test;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.VaeConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The library names its settings; the CLI's one error line names the flags. */
class SettingMessagesTest {
    @Test
    void theModelNamesItsSettingsAndTheCliItsFlags() {
        SettingException e = assertThrows(SettingException.class, () -> VaeConfig.mnist(0));
        assertEquals("latentDim", e.setting());
        assertEquals("latentDim must be a positive integer, got 0", e.getMessage());
        assertEquals("--latent-dim must be a positive integer, got 0", SparkVaeCli.describe(e));
        e = assertThrows(SettingException.class, () -> VaeConfig.mnist(2).withPrior(PriorKind.MOG, 3).withLevels(2));
        assertEquals("--levels 2 has p(z2) = N(0, I); it cannot be combined with --prior mog", SparkVaeCli.describe(e));
        e = assertThrows(SettingException.class, () -> VaeConfig.mnist(2).withLikelihood(LikelihoodKind.BERNOULLI, 0.1));
        assertEquals("--variance applies to --likelihood gaussian only (got --likelihood bernoulli)", SparkVaeCli.describe(e));
    }

    @Test
    void theCliDefaultsAreTheLibrarys() throws Exception {
        ModelOptions o = new ModelOptions();
        new picocli.CommandLine(o).parseArgs();
        assertEquals(VaeConfig.defaults(), o.config());
    }
}
