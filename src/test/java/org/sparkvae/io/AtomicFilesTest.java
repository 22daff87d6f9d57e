package org.sparkvae.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Temp files of killed writers (SIGKILL skips every cleanup) go with the next write of the same target; live writers' stay. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void theNextWriteRemovesTheTempFilesOfDeadWritersOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = AtomicFiles.WRITER.substring(AtomicFiles.WRITER.indexOf('@'));
        Path dead = Files.writeString(dir.resolve(".out.json." + gone.pid() + host + ".123.tmp"), "half");
        Path live = Files.writeString(dir.resolve(".out.json." + ProcessHandle.current().pid() + host + ".456.tmp"), "writing");
        Path otherHost = Files.writeString(dir.resolve(".out.json." + gone.pid() + "@elsewhere.789.tmp"), "theirs");
        Path otherTarget = Files.writeString(dir.resolve(".other.json." + gone.pid() + host + ".1.tmp"), "not ours");
        Path oldStyle = Files.writeString(dir.resolve(".out.json.12345.tmp"), "unknown writer");

        AtomicFiles.writeString(dir.resolve("out.json"), "{}");

        assertEquals("{}", Files.readString(dir.resolve("out.json")));
        assertFalse(Files.exists(dead), "a dead writer's temp file is removed");
        for (Path kept : new Path[] {live, otherHost, otherTarget, oldStyle}) {
            assertTrue(Files.exists(kept), kept + " is kept");
        }
        try (var s = Files.list(dir)) {
            assertEquals(5, s.count(), "no temp file of this write is left");
        }
    }
}
