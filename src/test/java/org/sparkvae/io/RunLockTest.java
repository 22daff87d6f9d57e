package org.sparkvae.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void secondHolderIsRefusedUntilTheFirstReleases() throws Exception {
        String run = dir.resolve("m.ckpt").toString();
        try (RunLock first = RunLock.acquire(run, "another training run")) {
            RunLock.HeldException e = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(run, "another training run"));
            assertTrue(e.getMessage().contains("another training run is already writing here (pid "), e.getMessage());
        }
        try (RunLock again = RunLock.acquire(run, "x")) {
            assertTrue(Files.exists(dir.resolve("m.ckpt").resolve(RunLock.NAME)));
        }
        assertEquals(0, Files.size(dir.resolve("m.ckpt").resolve(RunLock.NAME)), "released locks are emptied");
    }

    /** Another process holds the OS lock; once it is killed (SIGKILL) the kernel releases it. */
    @Test
    void lockOfAKilledProcessIsFreeAtOnce() throws Exception {
        Path run = Files.createDirectories(dir.resolve("r"));
        Path file = run.resolve(RunLock.NAME);
        // flock(1) and Java's FileChannel locks do not see each other; a second JVM holds a Java lock.
        Path holder = dir.resolve("Hold.java");
        Files.writeString(holder, "public class Hold { public static void main(String[] a) throws Exception {"
                + " var ch = java.nio.channels.FileChannel.open(java.nio.file.Path.of(a[0]), java.nio.file.StandardOpenOption.CREATE,"
                + " java.nio.file.StandardOpenOption.WRITE); ch.lock(); System.out.println(\"locked\"); Thread.sleep(600000); } }");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), holder.toString(), file.toString())
                .redirectErrorStream(true).start();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine());
            assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(run.toString(), "another run"));
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        RunLock.acquire(run.toString(), "another run").close();
    }
}
