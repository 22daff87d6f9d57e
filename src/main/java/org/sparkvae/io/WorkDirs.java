package org.sparkvae.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Local scratch space of a job (figures before they are published, a model zip before it is copied to HDFS, a
 * fetched file) under {@code java.io.tmpdir}, named {@code spark-vae-PID@HOST-...} after the process that made it.
 * A job removes its own in a {@code finally}; SIGKILL skips that, so every new one first removes the scratch
 * space of this host's processes that are gone (never a live process's, never another host's on a shared /tmp).
 */
public final class WorkDirs {
    static final String PREFIX = "spark-vae-";

    private WorkDirs() { }

    /** A new scratch directory; {@code what} names the job ({@code report}, {@code project}, ...). */
    public static Path create(String what) throws IOException {
        deleteDeadProcessesScratch();
        return Files.createTempDirectory(PREFIX + AtomicFiles.WRITER + "-" + what + "-");
    }

    /** A new scratch file ending in {@code suffix}. */
    public static Path createFile(String suffix) throws IOException {
        deleteDeadProcessesScratch();
        return Files.createTempFile(PREFIX + AtomicFiles.WRITER + "-", suffix);
    }

    /** Removes {@code spark-vae-PID@HOST-*} entries of dead processes on this host; returns how many. */
    public static int deleteDeadProcessesScratch() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        int deleted = 0;
        try (java.util.stream.Stream<Path> entries = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(PREFIX) && AtomicFiles.writtenByDeadProcess(name.substring(PREFIX.length()))) {
                    org.apache.commons.io.FileUtils.deleteQuietly(p.toFile());
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a scratch directory we cannot list or delete is not this job's failure.
        }
        return deleted;
    }
}
