package org.sparkvae.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the fuzz targets share: a scratch file per JVM for parsers that read paths, rewritten for each input. */
public final class Fuzz {
    private static Path scratch;

    private Fuzz() { }

    /** {@code bytes} written to a file named {@code name} in this JVM's scratch directory (deleted at exit). */
    public static synchronized Path file(String name, byte[] bytes) {
        try {
            if (scratch == null) {
                scratch = Files.createTempDirectory("spark-vae-fuzz");
                scratch.toFile().deleteOnExit();
            }
            Path f = scratch.resolve(name);
            Files.write(f, bytes);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
