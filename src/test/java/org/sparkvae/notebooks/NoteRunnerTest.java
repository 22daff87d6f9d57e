package org.sparkvae.notebooks;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.zeppelin.display.GUI;
import org.apache.zeppelin.display.Input;
import org.apache.zeppelin.display.ui.OptionInput.ParamOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness's Zeppelin pieces behave as the server's: forms, form expansion in SQL, the row limit. */
class NoteRunnerTest {
    @Test
    void formsReturnTheTypedValueOrTheirDefault() {
        HarnessContext z = new HarnessContext(1000);
        GUI note = new GUI();
        note.setParams(new java.util.HashMap<>(Map.of("runDir", "/data/runs")));
        GUI paragraph = new GUI();
        z.setNoteGui(note);
        z.setGui(paragraph);
        assertEquals("/data/runs", z.noteTextbox("runDir", ""));
        assertEquals("model", z.noteTextbox("model", "model"), "an untouched form has its default");
        ParamOption[] priors = {new ParamOption("gaussian", "Gaussian"), new ParamOption("mog", "Mixture")};
        assertEquals("gaussian", z.select("prior", priors, "gaussian"));
        paragraph.setParams(new java.util.HashMap<>(Map.of("prior", "mog")));
        assertEquals("mog", z.select("prior", priors, "gaussian"));
        assertTrue(note.getForms().containsKey("model"), "the form is registered in the note's GUI, as in the server");
    }

    @Test
    void sqlFormsExpandAsZeppelinExpandsThem() {
        String sql = "SELECT * FROM `v $${runDir}` WHERE m = ${m=4}";
        String noteDone = Input.getSimpleQuery(Map.of("runDir", "/x y"), sql, true);
        assertEquals("SELECT * FROM `v /x y` WHERE m = ${m=4}", noteDone, "$${...} is a note form; ${...} stays for the paragraph");
        assertEquals("SELECT * FROM `v /x y` WHERE m = 4", Input.getSimpleQuery(Map.of(), noteDone, false), "the default");
        assertEquals("SELECT * FROM `v /x y` WHERE m = 8", Input.getSimpleQuery(Map.of("m", "8"), noteDone, false));
    }

    @Test
    void aResultTheServerWouldTruncateFails() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(RowFactory.create(i, "a\tb"));
        }
        String t = HarnessContext.table(new String[] {"i", "s"}, rows, 1000);
        assertTrue(t.startsWith("%table i\ts\n0\ta b\n"), t.substring(0, 30));
        assertEquals(1001, t.split("\n").length);
        rows.add(RowFactory.create(1000, "c"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HarnessContext.table(new String[] {"i", "s"}, rows, 1000));
        assertTrue(e.getMessage().contains("more than 1000 rows"), e.getMessage());
    }
}
