package org.sparkvae.cli;

import org.junit.jupiter.api.Test;
import org.sparkvae.job.EvaluationRun;
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

    /** Run options named in backticks by the library (TrainingRun, EvaluationRun, ...) become the CLI's flags. */
    @Test
    void theRunsNameTheirOptionsAndTheCliItsFlags() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("settings-");
        try {
            java.nio.file.Path out = java.nio.file.Files.writeString(dir.resolve("m.json"), "{}");
            Exception e = assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> EvaluationRun.run(
                    new EvaluationRun.Spec("m.zip", null, 100, 0, true, null, null, false, null, out.toString(), false)));
            assertEquals(out + ": already exists; pass `overwrite` to replace it or choose another `out`", e.getMessage());
            assertEquals(out + ": already exists; pass --overwrite to replace it or choose another --out", SparkVaeCli.describe(e));
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile());
        }
    }

    /**
     * Run options are data too: the library quotes them, the CLI renders its flags from the names, and a value (a path,
     * what the user typed) is never read as a name, even when it holds braces or backticks.
     */
    @Test
    void runOptionsAreNamedAsDataAndValuesStayAsTheyAre() throws Exception {
        org.sparkvae.io.OptionException e = new org.sparkvae.io.OptionException(
                "{resume}: no checkpoint in %s; start the run without {resume}", "/runs/{overwrite}/`model`.ckpt");
        assertEquals("`resume`: no checkpoint in /runs/{overwrite}/`model`.ckpt; start the run without `resume`", e.getMessage());
        assertEquals("--resume: no checkpoint in /runs/{overwrite}/`model`.ckpt; start the run without --resume",
                SparkVaeCli.describe(e));
        java.nio.file.Path missing = java.nio.file.Path.of("/nonexistent/{data}");
        Exception m = assertThrows(java.io.FileNotFoundException.class,
                () -> new org.sparkvae.data.MnistFiles(missing.toString()).resolve(org.sparkvae.data.MnistFiles.TRAIN_IMAGES));
        assertEquals("/nonexistent/{data}: data directory does not exist (run `spark-vae fetch-data --dir /nonexistent/?data?` "
                + "or pass --data DIR)", SparkVaeCli.describe(m));
    }

    @Test
    void otherBacktickedTextStaysAndTrainingOptionsNameTheirSettings() {
        // Other backticked text (a command to run) and unknown names stay as they are.
        assertEquals("run `spark-vae fetch-data --dir d` or pass --data DIR; `nothing`",
                SparkVaeCli.inFlags("run `spark-vae fetch-data --dir d` or pass `data` DIR; `nothing`"));
        assertEquals("--batch-size must be a positive integer, got 0",
                SparkVaeCli.describe(assertThrows(SettingException.class, () -> new org.sparkvae.train.TrainingOptions(1, 0, 0))));
    }

    /** The names are data: a front end renders its own names without reading the message's words. */
    @Test
    void settingsAreNamedAsDataAndEachFrontEndRendersItsNames() {
        SettingException e = assertThrows(SettingException.class, () -> VaeConfig.mnist(2).withPrior(PriorKind.MOG, 3).withLevels(2));
        assertEquals(java.util.List.of("levels", "prior"), e.named());
        assertEquals("levels 2 has p(z2) = N(0, I); it cannot be combined with prior mog", e.getMessage());
        assertEquals("L 2 has p(z2) = N(0, I); it cannot be combined with P mog", e.messageIn(java.util.Map.of("levels", "L", "prior", "P")));
        // A value the user wrote is shown, never rendered as a name (braces and control characters are not kept).
        SettingException k = assertThrows(SettingException.class,
                () -> SettingException.parseKind(PriorKind.class, "prior", "Nope{levels}\u0001"));
        assertEquals("prior", k.setting());
        assertEquals("unknown prior 'nope?levels??'", k.messageIn(SparkVaeCli.FLAGS));
        assertEquals(PriorKind.MOG, SettingException.parseKind(PriorKind.class, "prior", "MoG"));
    }

    @Test
    void theCliDefaultsAreTheLibrarys() throws Exception {
        ModelOptions o = new ModelOptions();
        new picocli.CommandLine(o).parseArgs();
        assertEquals(VaeConfig.defaults(), o.config());
    }
}
