package org.sparkvae.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk (a 20 MB tmpfs, mounted as CI's root user may): train and report end with one line that says so,
 * no stack trace, and leave no temp files or stray outputs behind. Fails, rather than skips, where it cannot
 * mount: CI runs as root.
 */
class FullDiskIT {
    private static final String DATA = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();

    @TempDir
    Path dir;
    Path disk;

    private static int sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return p.exitValue();
    }

    @BeforeEach
    void mount() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        assertEquals(0, sh("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", disk.toString()),
                "mounting a tmpfs needs root (CI runs as root)");
    }

    @AfterEach
    void unmount() throws Exception {
        sh("umount", disk.toString());
    }

    private static String run(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES));
        String out = Files.readString(log);
        assertEquals(1, p.exitValue(), out);
        return out;
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.walk(disk)) {
            return s.filter(Files::isRegularFile).map(p -> disk.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void trainOnAFullDiskSaysSoInOneLineAndLeavesNoTempFiles() throws Exception {
        // Fill the disk to 2 MB of free space: the first checkpoint (about 16 MB) cannot be written.
        Files.write(disk.resolve("filler"), new byte[18 << 20]);
        String out = run(dir.resolve("train.log"), "train", "--data", DATA, "--epochs", "2",
                "--no-test-eval", "--no-progress", "--model", disk.resolve("runs").resolve("m.zip").toString());
        List<String> errors = out.lines().filter(l -> l.contains("error:")).toList();
        assertEquals(1, errors.size(), out);
        assertTrue(errors.get(0).contains("No space left on device"), out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), out);
        // Nothing but the filler and the run's own (empty) lock file: no temp files, no metrics of an epoch
        // whose checkpoint could not be written.
        assertEquals(List.of("filler", "runs/m.ckpt/" + org.sparkvae.io.RunLock.NAME), files());
        assertEquals(0, Files.size(disk.resolve("runs/m.ckpt").resolve(org.sparkvae.io.RunLock.NAME)));
    }

    @Test
    void reportOnAFullDiskSaysSoInOneLineAndLeavesNothing() throws Exception {
        Path model = dir.resolve("m.zip");
        org.sparkvae.model.VaeConfig config = org.sparkvae.model.VaeConfig.mnist(2);
        org.sparkvae.model.store.ModelStore.save(org.sparkvae.model.Vae.create(config, 1), new org.sparkvae.model.store.ModelInfo(config,
                "binary", null, DATA, "md5", 0, 128, 0, java.util.Map.of(), "now", List.of()), model);
        // 150 KB free: the projection fits, the figures do not.
        Files.write(disk.resolve("filler"), new byte[(20 << 20) - (150 << 10)]);
        String out = run(dir.resolve("report.log"), "report", "--model", model.toString(), "--data", DATA,
                "--out", disk.resolve("rep").toString(), "--no-progress");
        List<String> errors = out.lines().filter(l -> l.contains("error:")).toList();
        assertEquals(1, errors.size(), out);
        assertTrue(errors.get(0).contains("No space left on device"), out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), out);
        assertEquals(List.of("filler"), files());
    }
}
