package org.sparkvae.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.store.ModelZipReaderTest;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stranger's model file, through every command that loads one, in a fresh JVM: a zip carrying a Java
 * deserialization payload is refused with one line before ND4J's native backend or Spark has started (the JVM's
 * class-loading log has neither), and a checkpoint whose weights are NaN is not resumed. Nothing is written.
 * (This test bounded the refusal by 5 s of wall time until a clean-clone CI with more classes running beside it
 * took 5.2 s: a slower CPU would fail it for nothing. What was meant is "before anything starts", and that is
 * what the class log shows on any CPU.)
 */
class UntrustedModelIT {
    private static final String DATA = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();

    @TempDir
    Path dir;
    Path good;

    @BeforeEach
    void saveAModel() throws Exception {
        VaeConfig config = VaeConfig.mnist(2);
        good = dir.resolve("good.zip");
        ModelStore.save(Vae.create(config, 1), new ModelInfo(config, "binary", null, DATA, "md5", 1, 128, 0,
                Map.of(), "now", List.of()), good);
    }

    private Path craft(Path into, String entry, byte[] bytes) throws IOException {
        Files.createDirectories(into.getParent());
        try (ZipFile in = new ZipFile(good.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(into))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(entry) ? bytes : in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
            if (in.getEntry(entry) == null) {
                out.putNextEntry(new ZipEntry(entry));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return into;
    }

    /** A finished command: its exit status, its output, and the classes its JVM loaded (one log line each). */
    private record Result(int status, String output, ClassLoadLog classes) { }

    private static Result run(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        Path classLog = log.resolveSibling(log.getFileName() + ".classes");
        ClassLoadLog.logTo(pb.environment(), classLog);
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "still running after 60 s: " + Files.readString(log));
        // The JVM's own line about JAVA_TOOL_OPTIONS is not the command's output.
        String out = Files.readString(log).lines().filter(l -> !l.startsWith(ClassLoadLog.PICKED_UP))
                .collect(java.util.stream.Collectors.joining("\n"));
        ClassLoadLog classes = ClassLoadLog.read(classLog);
        Files.delete(classLog);
        return new Result(p.exitValue(), out, classes);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void deserializationPayloadIsRefusedByEveryLoadingCommandAtOnce() throws Exception {
        Path bomb = craft(dir.resolve("bomb.zip"), "preprocessor.bin", ModelZipReaderTest.hashSetBomb(60));
        Path ckptModel = dir.resolve("resumed.zip");
        craft(dir.resolve("resumed.ckpt").resolve("epoch-0001.zip"), "preprocessor.bin", ModelZipReaderTest.hashSetBomb(60));
        List<String> before = listing(dir);
        List<String[]> commands = List.of(
                new String[] {"evaluate", "--model", bomb.toString(), "--data", DATA, "--out", dir.resolve("e.json").toString()},
                new String[] {"sample", "--model", bomb.toString(), "--samples", dir.resolve("s.png").toString()},
                new String[] {"project", "--model", bomb.toString(), "--data", DATA, "--out", dir.resolve("proj").toString()},
                new String[] {"report", "--model", bomb.toString(), "--data", DATA, "--out", dir.resolve("rep").toString()},
                new String[] {"train", "--resume", "--model", ckptModel.toString(), "--data", DATA, "--latent-dim", "2"});
        for (String[] args : commands) {
            Result r = run(dir.resolve("out.log"), args);
            String what = String.join(" ", args) + " -> " + r.output();
            assertEquals(1, r.status(), what);
            List<String> lines = r.output().strip().lines().toList();
            assertEquals(1, lines.size(), what);
            assertTrue(lines.get(0).contains("error:") && lines.get(0).contains("unexpected entry 'preprocessor.bin'"), what);
            // Refused before anything started: no SparkContext, no ND4J backend (whose native library takes seconds).
            assertFalse(r.classes().loaded("org.apache.spark.SparkContext"), args[0] + " started Spark: " + what);
            assertFalse(r.classes().loaded("org.nd4j.linalg.cpu.nativecpu.CpuBackend"), args[0] + " started ND4J: " + what);
            assertTrue(r.classes().loaded("org.sparkvae.cli.SparkVaeCli"), "the class log is read: " + r.classes().lines().size() + " lines");
            Files.delete(dir.resolve("out.log"));
            assertEquals(before, listing(dir), "nothing written by " + args[0]);
        }
    }

    @Test
    void poisonedCheckpointIsNotResumed() throws Exception {
        byte[] coefficients;
        try (ZipFile z = new ZipFile(good.toFile())) {
            coefficients = z.getInputStream(z.getEntry("coefficients.bin")).readAllBytes();
        }
        for (int i = coefficients.length - 400; i < coefficients.length; i += 4) { // the last 100 floats: NaN
            coefficients[i] = 0x7f;
            coefficients[i + 1] = (byte) 0xc0;
            coefficients[i + 2] = 0;
            coefficients[i + 3] = 0;
        }
        craft(dir.resolve("m.ckpt").resolve("epoch-0001.zip"), "coefficients.bin", coefficients);
        List<String> before = listing(dir);
        Result r = run(dir.resolve("out.log"), "train", "--resume", "--model", dir.resolve("m.zip").toString(),
                "--data", DATA, "--latent-dim", "2", "--epochs", "2", "--no-progress");
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().strip().lines().filter(l -> l.contains("error:")).anyMatch(l -> l.contains("NaN or infinite")), r.output());
        Files.delete(dir.resolve("out.log"));
        assertEquals(before, listing(dir));
    }
}
