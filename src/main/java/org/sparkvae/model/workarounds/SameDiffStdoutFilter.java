package org.sparkvae.model.workarounds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Drops the "Added differentiated op ..." lines that SameDiff prints straight to System.out, one per
 * op, whenever it builds a gradient graph (unconditional {@code System.out.println} in
 * {@code SameDiff.createGradFunction}, DL4J 1.0.0-M2.1). Spark workers rebuild every network at
 * each parameter-averaging round, so without this the console and executor logs fill with them.
 * Installed once per JVM by the runtime layers that build gradient graphs; everything else on
 * System.out passes through unchanged.
 */
public final class SameDiffStdoutFilter extends OutputStream {
    private static final byte[] PREFIX = "Added differentiated op ".getBytes(StandardCharsets.UTF_8);
    private static boolean installed;

    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private SameDiffStdoutFilter(OutputStream target) {
        this.target = target;
    }

    public static synchronized void install() {
        if (!installed) {
            System.setOut(new PrintStream(new SameDiffStdoutFilter(System.out), true, StandardCharsets.UTF_8));
            installed = true;
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        // A partial line that may still become a filtered line waits for its newline.
        if (!startsLikeFiltered()) {
            emit();
        }
        target.flush();
    }

    private boolean startsLikeFiltered() {
        byte[] b = line.toByteArray();
        for (int i = 0; i < Math.min(b.length, PREFIX.length); i++) {
            if (b[i] != PREFIX[i]) {
                return false;
            }
        }
        return b.length > 0;
    }

    private void emit() throws IOException {
        byte[] b = line.toByteArray();
        line.reset();
        boolean filtered = b.length >= PREFIX.length && startsWith(b);
        if (!filtered) {
            target.write(b);
        }
    }

    private static boolean startsWith(byte[] b) {
        for (int i = 0; i < PREFIX.length; i++) {
            if (b[i] != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }
}
