package org.sparkvae.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.RealData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every note in notebooks-zeppelin/ run as a Zeppelin server runs it (NoteRunner: one shared Scala interpreter
 * and SparkSession for all notes, Zeppelin's own ZeppelinContext for forms, the 1,000-row limit, Run all
 * stopping at the first error), given only form values, against the outputs of a short real run: three priors
 * trained for two epochs on a slice of real MNIST, one projection of the real test set, a small sweep; the training note trains on real MNIST.
 */
class ZeppelinNotesIT {
    @TempDir
    static Path runs;
    /** The harness's output per run, in plan order: "RUN ..." then one line per paragraph. */
    private static final List<List<String>> RESULTS = new ArrayList<>();
    private static final List<String> PLAN_NAMES = new ArrayList<>();

    @BeforeAll
    static void shortRealRunThenEveryNote() throws Exception {
        String data = RealData.mnist().toString();
        // The notes chart these runs' metrics files, not their quality: the slice of real MNIST (2,000 training
        // images) trains them in seconds; the projection below still encodes the whole real test set.
        String slice = java.nio.file.Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();
        for (String prior : List.of("gaussian", "mog", "vamp")) {
            launch(runs.resolve(prior + ".log"), "train", "--data", slice, "--model", runs.resolve(prior + ".zip").toString(),
                    "--prior", prior, "--latent-dim", "4", "--epochs", "2", "--no-progress");
        }
        Path grid = Files.writeString(runs.resolve("grid.yaml"), "latent_dims: [2, 4]\npriors: [gaussian, mog]\nepochs: 1\n"
                + "train_images: 2000\niwae_k: 10\niwae_images: 200\n");
        Path dataRoot = Files.createDirectories(runs.resolve("data"));
        Files.createSymbolicLink(dataRoot.resolve("mnist"), RealData.mnist());
        launch(runs.resolve("sweep.log"), "sweep", "--grid", grid.toString(), "--out", runs.resolve("sweep").toString(),
                "--master", "local[2]", "--data-root", dataRoot.toString());
        launch(runs.resolve("project.log"), "project", "--model", runs.resolve("mog.zip").toString(), "--data", data,
                "--out", runs.resolve("projection").toString(), "--master", "local[2]", "--no-progress");
        // A folder with a PNG where the report's samples would be (the note shows whatever PNG is there).
        Path report = Files.createDirectories(runs.resolve("report"));
        Files.copy(runs.resolve("gaussian.curves.png"), report.resolve("samples.png"));

        String dir = runs.toString();
        // First, before any note has run its first paragraph in the shared interpreter (as after an interpreter
        // restart, found in a real Zeppelin 0.12 server): a chart paragraph run on its own.
        plan("sweep chart alone, fresh interpreter", "sweep-results.zpln", "S", Map.of("sweepDir", runs.resolve("sweep").toString()),
                Map.of(), List.of(3));
        plan("latent scatter alone, fresh interpreter", "latent-pca.zpln", "T",
                Map.of("projectionDir", runs.resolve("projection").toString()), Map.of(), List.of(3));
        plan("curves A", "training-curves.zpln", "A", Map.of("runDir", dir, "model", "gaussian", "reportDir", report.toString()), Map.of(), null);
        plan("curves B (a copy)", "training-curves.zpln", "B", Map.of("runDir", dir, "model", "mog"), Map.of(), null);
        plan("curves A again", "training-curves.zpln", "A", Map.of("runDir", dir, "model", "gaussian"), Map.of(), List.of(3));
        plan("curves, forms empty", "training-curves.zpln", "C", Map.of(), Map.of(), null);
        plan("curves, nothing there", "training-curves.zpln", "D", Map.of("runDir", "/nonexistent/runs"), Map.of(), null);
        plan("latent", "latent-pca.zpln", "E", Map.of("projectionDir", runs.resolve("projection").toString()), Map.of(), null);
        plan("sweep", "sweep-results.zpln", "F", Map.of("sweepDir", runs.resolve("sweep").toString()), Map.of("metric", "test_nll_iwae"), null);
        plan("priors", "prior-comparison.zpln", "G", Map.of("runDir", dir), Map.of(), null);
        plan("train", "train-and-explore.zpln", "H", Map.of("dataDir", data, "latentDim", "4", "epochs", "1", "trainImages", "2000"),
                Map.of(), null);
        plan("train copy, charts before training", "train-and-explore.zpln", "I",
                Map.of("dataDir", data, "latentDim", "4", "epochs", "1", "trainImages", "2000"), Map.of(), List.of(5));
        runPlan();
    }

    private static final ArrayNode RUNS = new ObjectMapper().createArrayNode();

    /**
     * Runs {@code planRuns} in the note harness's own JVM and returns its output; {@code withSparkVae} false leaves
     * spark-vae's classes off the class path, as a Spark interpreter without the cluster jar in spark.jars.
     */
    private static String harness(ArrayNode planRuns, String name, boolean withSparkVae) throws Exception {
        ObjectNode plan = new ObjectMapper().createObjectNode();
        plan.put("maxResult", 1000);
        plan.set("runs", planRuns);
        Path planFile = runs.resolve(name + ".json");
        new ObjectMapper().writeValue(planFile.toFile(), plan);
        String cp = Path.of("target", "test-classes").toAbsolutePath()
                + (withSparkVae ? ":" + Path.of("target", "classes").toAbsolutePath() : "")
                + ":" + Files.readString(Path.of("target", "test-classpath.txt")).trim();
        List<String> c = org.sparkvae.it.TestJvm.java();
        c.add("-Xmx2g");
        c.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        c.addAll(List.of("-cp", cp, NoteRunner.class.getName(), planFile.toString()));
        Path log = runs.resolve(name + ".out");
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the notes timed out");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "the harness failed:\n" + out);
        return out;
    }

    /**
     * Without the cluster jar in the interpreter (spark-vae's classes off the class path), the training note stops at
     * its check paragraph with the sentence that says how to add it — found in a real Zeppelin 0.12 server, where the
     * check first failed to compile instead.
     */
    @Test
    void theTrainingNoteSaysHowToAddTheJarWhenItIsMissing() throws Exception {
        ArrayNode plan = new ObjectMapper().createArrayNode();
        ObjectNode r = plan.addObject();
        r.put("note", Path.of("notebooks-zeppelin", "train-and-explore.zpln").toString());
        r.put("noteId", "J");
        r.set("noteParams", new ObjectMapper().valueToTree(Map.of("dataDir", RealData.mnist().toString())));
        r.set("params", new ObjectMapper().createObjectNode());
        List<String> lines = harness(plan, "no-jar", false).lines()
                .filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ")).toList();
        assertEquals(2, lines.size(), "the %md paragraph, then the check stops Run all: " + lines);
        assertTrue(lines.get(1).startsWith("FAIL paragraph_1700000005002_note_check: java.lang.IllegalStateException: "
                + "spark-vae's classes are not on the Spark interpreter's class path: add target/spark-vae-cluster.jar"), lines.get(1));
    }

    private static void plan(String name, String note, String noteId, Map<String, String> noteParams, Map<String, String> params,
                             List<Integer> only) {
        ObjectNode r = RUNS.addObject();
        r.put("note", Path.of("notebooks-zeppelin", note).toString());
        r.put("noteId", noteId);
        r.set("noteParams", new ObjectMapper().valueToTree(noteParams));
        r.set("params", new ObjectMapper().valueToTree(params));
        if (only != null) {
            r.set("only", new ObjectMapper().valueToTree(only));
        }
        PLAN_NAMES.add(name);
    }

    private static void launch(Path log, String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        c.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + c);
        assertEquals(0, p.exitValue(), c + "\n" + Files.readString(log));
    }

    /** Runs the whole plan in one JVM (plain classpath: the Scala interpreter needs to see every class). */
    private static void runPlan() throws Exception {
        String out = harness(RUNS, "notes", true);
        for (String line : out.lines().toList()) {
            if (line.startsWith("RUN ")) {
                RESULTS.add(new ArrayList<>());
            }
            if ((line.startsWith("RUN ") || line.startsWith("OK ") || line.startsWith("FAIL ")) && !RESULTS.isEmpty()) {
                RESULTS.get(RESULTS.size() - 1).add(line);
            }
        }
        System.out.println(String.join("\n", out.lines().filter(l -> l.startsWith("RUN ") || l.startsWith("OK ")
                || l.startsWith("FAIL ")).toList()));
        assertEquals(RUNS.size(), RESULTS.size(), "every planned run reported:\n" + out);
    }

    private static List<String> run(String name) {
        return RESULTS.get(PLAN_NAMES.indexOf(name));
    }

    private static JsonNode read(String note) throws IOException {
        return new ObjectMapper().readTree(Path.of("notebooks-zeppelin", note).toFile());
    }

    /** Every paragraph of the note ran and none failed. */
    private static void assertEveryParagraphRan(String name, String note) throws IOException {
        List<String> lines = run(name);
        String all = String.join("\n", lines);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("FAIL ")), name + ":\n" + all);
        for (JsonNode p : read(note).get("paragraphs")) {
            assertTrue(all.contains("OK " + p.get("id").asText() + " "), name + ": " + p.get("id") + " ran:\n" + all);
        }
    }

    /** The output line of the note's paragraph number {@code index} in a run. */
    private static String paragraph(String name, String note, int index) throws IOException {
        String id = read(note).get("paragraphs").get(index).get("id").asText();
        return run(name).stream().filter(l -> l.startsWith("OK " + id + " ") || l.startsWith("FAIL " + id + ":")).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": paragraph " + index + " did not run: " + run(name)));
    }

    @Test
    void trainingCurvesRunWithFormsAndShowTheirOwnData() throws Exception {
        assertEveryParagraphRan("curves A", "training-curves.zpln");
        assertEveryParagraphRan("curves B (a copy)", "training-curves.zpln");
        String a = paragraph("curves A", "training-curves.zpln", 3);
        String b = paragraph("curves B (a copy)", "training-curves.zpln", 3);
        assertTrue(a.contains("table 2 rows [epoch,train_neg_elbo,test_neg_elbo]"), a);
        assertNotEquals(a.replace(a.substring(0, a.indexOf(' ', 3)), ""), b.replace(b.substring(0, b.indexOf(' ', 3)), ""),
                "the gaussian and the mog run differ");
        // Re-running copy A's chart after copy B ran (same interpreter, same paragraph ids) shows A's numbers.
        assertEquals(a, paragraph("curves A again", "training-curves.zpln", 3));
        assertTrue(paragraph("curves A", "training-curves.zpln", 7).contains("html"), "the PNG is shown inline");
    }

    @Test
    void emptyOrWrongFormsStopAtTheFirstParagraphWithOneSentence() throws Exception {
        List<String> empty = run("curves, forms empty");
        assertEquals(3, empty.size(), "RUN, the markdown, the failing settings paragraph, nothing after: " + empty);
        assertTrue(empty.get(2).contains("java.lang.IllegalArgumentException: Fill in the forms runDir"), empty.get(2));
        List<String> wrong = run("curves, nothing there");
        assertEquals(3, wrong.size(), wrong.toString());
        assertTrue(wrong.get(2).contains("no model.metrics.parquet under /nonexistent/runs: run "
                + "`submit/spark-vae train --model /nonexistent/runs/model.zip` first"), wrong.get(2));
    }

    @Test
    void latentScatterIsAnExactStratifiedSampleAndTheDensityCountsEveryImage() throws Exception {
        assertEveryParagraphRan("latent", "latent-pca.zpln");
        assertTrue(paragraph("latent", "latent-pca.zpln", 3).contains("table 1000 rows [pc1,pc2,digit]"));
        String shares = paragraph("latent", "latent-pca.zpln", 4);
        for (int d = 0; d < 10; d++) {
            assertTrue(shares.contains((d == 0 ? "all " : "| ") + d + ",100"), "100 images of digit " + d + ": " + shares);
        }
        String density = paragraph("latent", "latent-pca.zpln", 5);
        int cells = Integer.parseInt(density.replaceAll(".*table (\\d+) rows.*", "$1"));
        assertTrue(cells > 50 && cells <= 900, density);
        assertTrue(paragraph("latent", "latent-pca.zpln", 6).contains("table 10 rows"), "ten class centres");
    }

    /** Each paragraph carries its note's setup: run alone in a fresh interpreter, a chart still reads its forms and data. */
    @Test
    void aChartParagraphRunsOnItsOwn() throws Exception {
        String board = paragraph("sweep chart alone, fresh interpreter", "sweep-results.zpln", 3);
        assertTrue(board.startsWith("OK ") && board.contains("table 4 rows [latentDim,prior,test_neg_elbo]"), board);
        String scatter = paragraph("latent scatter alone, fresh interpreter", "latent-pca.zpln", 3);
        assertTrue(scatter.startsWith("OK ") && scatter.contains("table 1000 rows [pc1,pc2,digit]"), scatter);
    }

    @Test
    void sweepAndPriorNotesRunWithTheirChoices() throws Exception {
        assertEveryParagraphRan("sweep", "sweep-results.zpln");
        String board = paragraph("sweep", "sweep-results.zpln", 3);
        assertTrue(board.contains("table 4 rows [latentDim,prior,test_nll_iwae]"), "the metric form chose IWAE: " + board);
        assertEveryParagraphRan("priors", "prior-comparison.zpln");
        assertTrue(paragraph("priors", "prior-comparison.zpln", 3).contains("table 6 rows"), "3 priors x 2 epochs");
        assertTrue(paragraph("priors", "prior-comparison.zpln", 4).contains("table 3 rows"), "one final row per prior");
    }

    @Test
    void theTrainingNoteTrainsScoresAndCharts() throws Exception {
        assertEveryParagraphRan("train", "train-and-explore.zpln");
        assertTrue(paragraph("train", "train-and-explore.zpln", 5).contains("table 1000 rows [pc1,pc2,digit]"));
        String perDigit = paragraph("train", "train-and-explore.zpln", 6);
        assertTrue(perDigit.contains("table 10 rows [digit,recon,kl,images]"), perDigit);
        assertTrue(paragraph("train", "train-and-explore.zpln", 7).contains("table 20 rows [index,label,neg_elbo]"));
        assertTrue(paragraph("train", "train-and-explore.zpln", 8).contains("table 1 rows [epoch,train_neg_elbo]"));
        // Another note (or copy) never sees this one's model: its chart asks for its own training first.
        String copy = paragraph("train copy, charts before training", "train-and-explore.zpln", 5);
        assertTrue(copy.contains("Run the paragraph 'Train, then score the test set' first"), copy);
    }

    @Test
    void notesAreZeppelinNotesWithSavedCharts() throws Exception {
        Map<String, Integer> charts = new LinkedHashMap<>();
        for (String note : List.of("training-curves.zpln", "latent-pca.zpln", "prior-comparison.zpln", "sweep-results.zpln",
                "train-and-explore.zpln")) {
            JsonNode n = read(note);
            assertTrue(n.get("name").asText().startsWith("spark-vae/"), note);
            assertEquals("spark", n.get("defaultInterpreterGroup").asText());
            assertTrue(n.get("paragraphs").get(0).get("text").asText().startsWith("%md\n"), "a note opens with what it shows: " + note);
            int count = 0;
            for (JsonNode p : n.get("paragraphs")) {
                if (p.get("text").asText().contains("z.show(")) {
                    JsonNode graph = p.at("/config/results/0/graph");
                    assertTrue(graph.has("mode"), "chart settings saved: " + p.get("id"));
                    count += graph.get("mode").asText().equals("table") ? 0 : 1;
                }
            }
            charts.put(note, count);
        }
        assertTrue(charts.values().stream().allMatch(c -> c >= 1), "at least one chart per note: " + charts);
    }
}
