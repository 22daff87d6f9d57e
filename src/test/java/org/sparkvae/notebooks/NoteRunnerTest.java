package org.sparkvae.notebooks;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The note runner's settings substitution: only the named string vals change, and a missing one is an error. */
class NoteRunnerTest {
    @Test
    void replacesOnlyTheNamedSettings() {
        String body = "// where\nval runDir = \"runs\"\nval model = \"model\"\nval models = Seq(\"a\", \"b\")";
        String out = NoteRunner.substitute(body, Map.of("runDir", "/tmp/x \"y\"", "model", "mog"));
        assertEquals("// where\nval runDir = \"/tmp/x \\\"y\\\"\"\nval model = \"mog\"\nval models = Seq(\"a\", \"b\")", out);
    }

    @Test
    void aSettingTheNoteDoesNotHaveIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoteRunner.substitute("val runDir = \"runs\"", Map.of("sweepDir", "/x")));
        assertTrue(e.getMessage().contains("sweepDir"), e.getMessage());
    }
}
