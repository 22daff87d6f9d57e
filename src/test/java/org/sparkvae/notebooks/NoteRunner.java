package org.sparkvae.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.zeppelin.display.GUI;
import org.apache.zeppelin.display.Input;
import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterOutput;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.InterpreterResultMessage;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Zeppelin notes (.zpln) the way one Zeppelin server with the default (shared) Spark interpreter
 * does: every note in the same Scala interpreter and SparkSession, one after another, so a view or a
 * value one note leaves behind is there for the next. For each run of a note (a plan entry: the note,
 * its id, the values typed into its note forms and paragraph forms):
 * <ul>
 * <li>{@code %spark}: the Scala text through the interpreter spark-repl is built on (IMain), with
 * {@code spark}, {@code sc} and {@code z} bound; {@code z} is a {@link HarnessContext} (Zeppelin's own
 * ZeppelinContext) switched to the paragraph's GUI, the note's GUI and an InterpreterContext with the
 * note and paragraph ids before every paragraph, as the server does; Console output goes to a Zeppelin
 * {@link InterpreterOutput}, which splits it into typed results ({@code %table}, {@code %html}, text).</li>
 * <li>{@code %spark.sql}: {@code $${...}} (note forms) and {@code ${...}} (paragraph forms) expanded by
 * Zeppelin's {@link Input#getSimpleQuery}, then Spark SQL; the result must have rows.</li>
 * <li>Any result of more than {@code maxResult} rows fails its paragraph (the server would truncate it).</li>
 * <li>As <i>Run all</i>, the first failing paragraph stops the note.</li>
 * </ul>
 * Prints "RUN id note", then "OK paragraph (kind[, table N rows][, html])" or "FAIL paragraph: first line
 * of the error" per paragraph. Runs in its own JVM with a plain {@code -cp} (ZeppelinNotesIT), so the
 * interpreter sees every class.
 */
public final class NoteRunner {
    private static SparkSession spark;
    private static HarnessContext z;

    private NoteRunner() { }

    /** The session the interpreted paragraphs use. */
    public static SparkSession session() {
        return spark;
    }

    /** The {@code z} the interpreted paragraphs use. */
    public static HarnessContext context() {
        return z;
    }

    /** One entry of the plan: a note run with its form values (and optionally only some paragraphs, by index). */
    record NoteRun(String note, String noteId, Map<String, Object> noteParams, Map<String, Object> params, List<Integer> only) { }

    public static void main(String[] args) throws Exception {
        JsonNode plan = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        int maxResult = plan.path("maxResult").asInt(1000);
        spark = SparkSession.builder().master("local[2]").appName("zeppelin-harness")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        z = new HarnessContext(maxResult);
        // The server's default output limit (zeppelin.interpreter.output.limit): longer output is cut.
        InterpreterOutput.LIMIT = 102400;
        Settings settings = new Settings();
        settings.processArgumentString("-usejavacp");
        StringWriter console = new StringWriter();
        IMain intp = new IMain(settings, new PrintWriter(console, true));
        if (!interpret(intp, console, "val spark = org.sparkvae.notebooks.NoteRunner.session()\nval sc = spark.sparkContext\n"
                + "val z = org.sparkvae.notebooks.NoteRunner.context()\nimport spark.implicits._", null).isEmpty()) {
            System.out.println("FAIL setup: " + console);
            System.exit(1);
        }
        Map<String, GUI> noteGuis = new HashMap<>();
        for (JsonNode r : plan.get("runs")) {
            NoteRun run = new NoteRun(r.get("note").asText(), r.get("noteId").asText(), map(r.get("noteParams")), map(r.get("params")),
                    r.has("only") ? new ObjectMapper().convertValue(r.get("only"), new com.fasterxml.jackson.core.type.TypeReference<List<Integer>>() { })
                            : null);
            // A note's forms keep their values across its runs, as in the server.
            GUI noteGui = noteGuis.computeIfAbsent(run.noteId(), id -> new GUI());
            noteGui.setParams(new HashMap<>(run.noteParams()));
            runNote(intp, console, run, noteGui, maxResult);
        }
        spark.stop();
        System.exit(0);
    }

    private static Map<String, Object> map(JsonNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }

    private static void runNote(IMain intp, StringWriter console, NoteRun run, GUI noteGui, int maxResult) throws Exception {
        JsonNode note = new ObjectMapper().readTree(Path.of(run.note()).toFile());
        System.out.println("RUN " + run.noteId() + " " + run.note());
        int index = -1;
        for (JsonNode p : note.get("paragraphs")) {
            index++;
            if (run.only() != null && !run.only().contains(index)) {
                continue;
            }
            String id = p.get("id").asText();
            String text = p.get("text").asText();
            int nl = text.indexOf('\n');
            String magic = (nl < 0 ? text : text.substring(0, nl)).trim();
            String body = nl < 0 ? "" : text.substring(nl + 1);
            GUI gui = new GUI();
            gui.setParams(new HashMap<>(run.params()));
            InterpreterOutput out = new InterpreterOutput();
            InterpreterContext ctx = InterpreterContext.builder().setNoteId(run.noteId()).setParagraphId(id).setGUI(gui)
                    .setNoteGUI(noteGui).setInterpreterOut(out).build();
            InterpreterContext.set(ctx);
            z.setGui(gui);
            z.setNoteGui(noteGui);
            z.setInterpreterContext(ctx);
            try {
                String what = switch (magic) {
                    case "%spark" -> {
                        String error = interpret(intp, console, body, out);
                        if (!error.isEmpty()) {
                            throw new IllegalStateException(error);
                        }
                        yield "scala" + describe(out.toInterpreterResultMessage());
                    }
                    case "%spark.sql" -> {
                        String sql = Input.getSimpleQuery(noteGui.getParams(), body, true);
                        sql = Input.getSimpleQuery(gui.getParams(), sql, false);
                        org.apache.spark.sql.Dataset<Row> df = spark.sql(sql);
                        List<Row> rows = df.limit(maxResult + 1).collectAsList();
                        if (rows.isEmpty()) {
                            throw new IllegalStateException("the query returned no rows");
                        }
                        yield "sql" + describe(List.of(new InterpreterResultMessage(InterpreterResult.Type.TABLE,
                                HarnessContext.table(df.columns(), rows, maxResult).substring("%table ".length()))));
                    }
                    case "%md" -> "markdown";
                    default -> throw new IllegalStateException("unknown interpreter " + magic);
                };
                System.out.println("OK " + id + " (" + what + ")");
            } catch (Exception e) {
                String m = String.valueOf(e.getMessage());
                System.out.println("FAIL " + id + ": " + m.replace('\n', ' '));
                return; // Run all stops at the first error
            }
        }
    }

    /** ", table N rows [COLUMNS], first ROW[, all ROW | ROW ...]" per table result, ", html N chars" per HTML result. */
    private static String describe(List<InterpreterResultMessage> results) {
        StringBuilder d = new StringBuilder();
        for (InterpreterResultMessage m : results) {
            if (m.getType() == InterpreterResult.Type.TABLE) {
                String[] lines = m.getData().split("\n");
                d.append(", table ").append(lines.length - 1).append(" rows [").append(lines[0].replace('\t', ','))
                        .append("], first ").append(lines.length > 1 ? lines[1].replace('\t', ',') : "-");
                if (lines.length - 1 <= 12) { // small results whole, so a test can check every row
                    d.append(", all ").append(String.join(" | ", java.util.Arrays.asList(lines).subList(1, lines.length)).replace('\t', ','));
                }
            } else if (m.getType() == InterpreterResult.Type.HTML) {
                d.append(", html ").append(m.getData().length()).append(" chars");
                if (m.getData().contains("Output exceeds")) {
                    throw new IllegalStateException("the output exceeds zeppelin.interpreter.output.limit and was cut");
                }
            }
        }
        return d.toString();
    }

    /**
     * Interprets Scala code with Console output going to {@code out}; returns "" on success, else the first
     * line of the error (for an exception, its class and message — what the user reads first).
     */
    private static String interpret(IMain intp, StringWriter console, String code, InterpreterOutput out) throws Exception {
        console.getBuffer().setLength(0);
        Results.Result r;
        if (out == null) {
            r = intp.interpret(code);
        } else {
            PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
            r = scala.Console$.MODULE$.withOut(ps, () -> intp.interpret(code));
            ps.flush();
            out.flush();
        }
        if (r == Results.Success$.MODULE$) {
            return "";
        }
        String text = console.toString().strip();
        String first = text.lines().filter(l -> l.contains("Exception:") || l.contains("error:")).findFirst()
                .orElse(text.lines().findFirst().orElse("interpreter said " + r));
        return first.strip() + (first.contains("error:") ? " " + text.replace('\n', ' ') : "");
    }
}
