package org.sparkvae.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every paragraph of a Zeppelin note (.zpln) for real, as Zeppelin's Spark interpreter would:
 * {@code %spark} paragraphs through the Scala interpreter that spark-repl is built on (IMain, with
 * {@code spark} and {@code sc} bound, {@code spark.implicits._} imported), {@code %spark.sql} through
 * Spark SQL, which must return rows. The first {@code %spark} paragraph holds the user's settings
 * ({@code val runDir = "..."}); values given as {@code name=value} arguments replace them.
 *
 * <p>Prints one line per paragraph ("OK id ..." or "FAIL id: why") and exits 1 if any failed. Run in
 * its own JVM with a plain {@code -cp} (ZeppelinNotesIT), so the interpreter sees every class.
 */
public final class NoteRunner {
    private static final Pattern SETTING = Pattern.compile("val\\s+(\\w+)\\s*=\\s*\"[^\"]*\"");
    private static SparkSession spark;

    private NoteRunner() { }

    /** The session the interpreted paragraphs use. */
    public static SparkSession session() {
        return spark;
    }

    public static void main(String[] args) throws Exception {
        JsonNode note = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            values.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        spark = SparkSession.builder().master("local[2]").appName("zeppelin-note " + note.get("name").asText())
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        Settings settings = new Settings();
        settings.processArgumentString("-usejavacp");
        StringWriter console = new StringWriter();
        IMain intp = new IMain(settings, new PrintWriter(console, true));
        int failures = 0;
        if (!interpret(intp, console, "val spark = org.sparkvae.notebooks.NoteRunner.session()\nval sc = spark.sparkContext\n"
                + "import spark.implicits._").isEmpty()) {
            System.out.println("FAIL setup: " + console);
            System.exit(1);
        }
        boolean settingsDone = false;
        for (JsonNode p : note.get("paragraphs")) {
            String id = p.get("id").asText();
            String text = p.get("text").asText();
            int nl = text.indexOf('\n');
            String magic = (nl < 0 ? text : text.substring(0, nl)).trim();
            String body = nl < 0 ? "" : text.substring(nl + 1);
            try {
                switch (magic) {
                    case "%spark" -> {
                        if (!settingsDone) {
                            body = substitute(body, values);
                            settingsDone = true;
                        }
                        String error = interpret(intp, console, body);
                        if (!error.isEmpty()) {
                            throw new IllegalStateException(error);
                        }
                        System.out.println("OK " + id + " (scala)");
                    }
                    case "%spark.sql" -> {
                        List<Row> rows = spark.sql(body).collectAsList();
                        if (rows.isEmpty()) {
                            throw new IllegalStateException("the query returned no rows");
                        }
                        System.out.println("OK " + id + " (sql, " + rows.size() + " rows, first " + rows.get(0) + ")");
                    }
                    case "%md" -> System.out.println("OK " + id + " (markdown)");
                    default -> throw new IllegalStateException("unknown interpreter " + magic);
                }
            } catch (Exception e) {
                failures++;
                System.out.println("FAIL " + id + ": " + e.getMessage().replace('\n', ' '));
            }
        }
        spark.stop();
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Interprets Scala code; returns "" on success, else what the interpreter printed. */
    private static String interpret(IMain intp, StringWriter console, String code) {
        console.getBuffer().setLength(0);
        Results.Result r = intp.interpret(code);
        return r == Results.Success$.MODULE$ ? "" : "interpreter said " + r + ": " + console;
    }

    /** Replaces the settings paragraph's string values; every given name must be one of them. */
    static String substitute(String body, Map<String, String> values) {
        Set<String> used = new HashSet<>();
        Matcher m = SETTING.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = values.containsKey(name)
                    ? "val " + name + " = \"" + values.get(name).replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : m.group();
            if (values.containsKey(name)) {
                used.add(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        if (!used.equals(values.keySet())) {
            throw new IllegalArgumentException("settings paragraph has no val for " + values.keySet().stream()
                    .filter(k -> !used.contains(k)).toList());
        }
        return out.toString();
    }
}
