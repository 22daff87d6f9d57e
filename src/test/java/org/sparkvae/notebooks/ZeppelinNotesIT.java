package org.sparkvae.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.RealData;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every paragraph of every note in notebooks-zeppelin/ runs for real against the outputs of a short
 * real run (three priors trained for two epochs on real MNIST, and one projection): Scala through the
 * interpreter, SQL through Spark SQL returning rows. The notes are also checked for the Zeppelin
 * 0.10 note format and their saved chart settings.
 */
class ZeppelinNotesIT {
    @TempDir
    static Path runs;

    @BeforeAll
    static void shortRealRun() throws Exception {
        String data = RealData.mnist().toString();
        for (String prior : List.of("gaussian", "mog", "vamp")) {
            launch(runs.resolve(prior + ".log"), "train", "--data", data, "--model", runs.resolve(prior + ".zip").toString(),
                    "--prior", prior, "--latent-dim", "4", "--epochs", "2", "--no-progress");
        }
        // A small sweep (configs mode) for the sweep note.
        Path grid = Files.writeString(runs.resolve("grid.yaml"), "latent_dims: [2, 4]\npriors: [gaussian, mog]\nepochs: 1\n"
                + "train_images: 2000\niwae_k: 10\niwae_images: 200\n");
        Path dataRoot = Files.createDirectories(runs.resolve("data"));
        Files.createSymbolicLink(dataRoot.resolve("mnist"), RealData.mnist());
        launch(runs.resolve("sweep.log"), "sweep", "--grid", grid.toString(), "--out", runs.resolve("sweep").toString(),
                "--master", "local[2]", "--data-root", dataRoot.toString());
        launch(runs.resolve("project.log"), "project", "--model", runs.resolve("mog.zip").toString(), "--data", data,
                "--out", runs.resolve("projection").toString(), "--master", "local[2]", "--no-progress");
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

    /** Runs a note in its own JVM (plain classpath: the Scala interpreter needs to see every class). */
    private static String runNote(String note, String... settings) throws Exception {
        Properties build = new Properties();
        try (InputStream in = ZeppelinNotesIT.class.getResourceAsStream("/spark-vae-build.properties")) {
            build.load(in);
        }
        String cp = Path.of("target", "test-classes").toAbsolutePath() + ":" + Path.of("target", "classes").toAbsolutePath()
                + ":" + Files.readString(Path.of("target", "test-classpath.txt")).trim();
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        c.addAll(List.of(build.getProperty("jvm.module.flags").trim().split("\\s+")));
        c.addAll(List.of("-cp", cp, NoteRunner.class.getName(), Path.of("notebooks-zeppelin", note).toString()));
        c.addAll(List.of(settings));
        Path log = runs.resolve(note + ".out");
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + note);
        String out = Files.readString(log);
        String results = String.join("\n", out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ")).toList());
        System.out.println(note + ":\n" + results);
        assertEquals(0, p.exitValue(), note + ":\n" + results + "\n--- full output ---\n" + out);
        return results;
    }

    private static JsonNode read(String note) throws IOException {
        return new ObjectMapper().readTree(Path.of("notebooks-zeppelin", note).toFile());
    }

    private static void assertEveryParagraphRan(String note, String results) throws IOException {
        JsonNode n = read(note);
        for (JsonNode p : n.get("paragraphs")) {
            assertTrue(results.contains("OK " + p.get("id").asText()), p.get("id") + " ran: " + results);
        }
        assertTrue(!results.contains("FAIL"), results);
    }

    @Test
    void trainingCurves() throws Exception {
        String results = runNote("training-curves.zpln", "runDir=" + runs, "model=mog");
        assertEveryParagraphRan("training-curves.zpln", results);
        assertTrue(results.contains("(sql, 2 rows"), "two epochs charted: " + results);
    }

    @Test
    void latentScatter() throws Exception {
        String results = runNote("latent-pca.zpln", "projectionDir=" + runs.resolve("projection"));
        assertEveryParagraphRan("latent-pca.zpln", results);
        assertTrue(results.contains("(sql, 10000 rows"), "every test image in the scatter: " + results);
        assertTrue(results.contains("(sql, 10 rows"), "ten class centres: " + results);
    }

    @Test
    void priorComparison() throws Exception {
        String results = runNote("prior-comparison.zpln", "runDir=" + runs);
        assertEveryParagraphRan("prior-comparison.zpln", results);
        assertTrue(results.contains("(sql, 6 rows"), "3 priors x 2 epochs: " + results);
        assertTrue(results.contains("(sql, 3 rows"), "one final row per prior: " + results);
    }

    @Test
    void sweepResults() throws Exception {
        String results = runNote("sweep-results.zpln", "sweepDir=" + runs.resolve("sweep"));
        assertEveryParagraphRan("sweep-results.zpln", results);
        assertTrue(results.contains("(sql, 4 rows"), "2 M x 2 priors: " + results);
    }

    @Test
    void notesAreZeppelinNotesWithSavedCharts() throws Exception {
        for (String note : List.of("training-curves.zpln", "latent-pca.zpln", "prior-comparison.zpln", "sweep-results.zpln")) {
            JsonNode n = read(note);
            assertTrue(n.get("name").asText().startsWith("spark-vae/"), note);
            assertEquals("spark", n.get("defaultInterpreterGroup").asText());
            JsonNode first = n.get("paragraphs").get(0);
            assertTrue(first.get("text").asText().startsWith("%spark\n"), "first paragraph sets the output path: " + note);
            int charts = 0;
            for (JsonNode p : n.get("paragraphs")) {
                if (p.get("text").asText().startsWith("%spark.sql")) {
                    JsonNode graph = p.at("/config/results/0/graph");
                    assertTrue(graph.has("mode"), "chart settings saved: " + p.get("id"));
                    if (!graph.get("mode").asText().equals("table")) {
                        charts++;
                    }
                }
            }
            assertTrue(charts >= 1, "at least one chart in " + note);
        }
    }
}
