package org.sparkvae.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader sees either the old content or the complete new content, never a
 * half-written file: write to a temporary sibling, then rename over the target. Missing parent
 * directories are created.
 */
public final class AtomicFiles {
    /** Something that writes a whole file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Something that produces a complete file at the given (temporary) path. */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path tmp) throws IOException;
    }

    private AtomicFiles() { }

    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    public static void write(Path target, Writer writer) throws IOException {
        writeVia(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
        });
    }

    /** Lets {@code writer} produce the file at a temporary path, then moves it into place atomically. */
    public static void writeVia(Path target, PathWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir); // as users expect of an output path (--model runs/m.zip with no runs/ yet)
        deleteDeadWritersTemps(dir, abs.getFileName().toString());
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + "." + WRITER + ".", ".tmp");
        boolean done = false;
        try {
            writer.write(tmp);
            moveAtomically(tmp, abs);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Who writes a temporary file: {@code PID@HOST}, so that a later writer of the same target can tell the temp
     * files of killed writers (SIGKILL skips every cleanup) from those of live ones, without a lock.
     */
    public static final String WRITER = ProcessHandle.current().pid() + "@" + host();

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                h = "localhost";
            }
        }
        return h.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    /**
     * Deletes {@code .NAME.PID@HOST.*.tmp} beside the target whose writer ran on this host and is gone. Temp
     * files of other hosts (a shared directory) and of live processes are left alone.
     */
    static int deleteDeadWritersTemps(Path dir, String name) throws IOException {
        int deleted = 0;
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (isDeadWritersTemp(p.getFileName().toString(), name) && Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** Whether {@code file} is a temp file {@code .NAME.PID@HOST.*.tmp} of {@code name} whose writer ran on this host and is gone. */
    public static boolean isDeadWritersTemp(String file, String name) {
        String prefix = "." + name + ".";
        return file.startsWith(prefix) && file.endsWith(".tmp") && writtenByDeadProcess(file.substring(prefix.length()));
    }

    /**
     * Whether {@code rest} starts with {@code PID@HOST.} or {@code PID@HOST-} (how temp files and work directories
     * carry their writer) naming this host and a process that is gone. Other hosts' and unmarked names: false.
     */
    public static boolean writtenByDeadProcess(String rest) {
        String host = "@" + host();
        int at = rest.indexOf(host);
        if (at <= 0 || !rest.substring(0, at).chars().allMatch(Character::isDigit) || at > 18) {
            return false;
        }
        int end = at + host.length();
        if (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '-') {
            return false; // another host whose name starts with ours
        }
        return ProcessHandle.of(Long.parseLong(rest.substring(0, at))).isEmpty();
    }

    /** Fails when {@code target} exists: used where an existing result must not be replaced. */
    public static void refuseExisting(Path target, String hint) throws IOException {
        if (Files.exists(target)) {
            throw new OutputExistsException(target.toString(), ": already exists; " + hint);
        }
    }

    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
