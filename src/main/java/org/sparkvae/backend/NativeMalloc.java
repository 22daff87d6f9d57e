package org.sparkvae.backend;

/**
 * Makes the C library return large freed blocks to the system at once: glibc's {@code mallopt(M_MMAP_THRESHOLD)},
 * set once per JVM that spark-vae computes in.
 *
 * <p>Why: ND4J keeps each array's data in a buffer from libnd4j's {@code malloc}. glibc by default raises its mmap
 * threshold each time a large mmapped block is freed, so later blocks of that size come from the per-thread arenas
 * instead, and those arenas kept growing: measured on 2026-12-03, creating and {@code close()}-ing one
 * [4000, 784] float array per pass grew the resident memory by 12 MB per pass (1.7 GB after 120 passes) although
 * every buffer was freed; the IWAE-100 loop grew to 1.6 GB for 500 MB of live data. With the threshold fixed (which
 * also stops glibc's adjusting it), a freed block above it is unmapped at once: the same loops stayed at 250 MB and
 * 520 MB, and ran as fast (41 s against 44 s for 140 IWAE passes). This is glibc's own documented switch (the
 * {@code MALLOC_MMAP_THRESHOLD_} environment variable does the same from a process's start); setting it here covers
 * the CLI, embedded and cluster executors (through {@link NativeBuild.Plugin}) and a user's own Spark program alike.
 *
 * <p>{@code SPARK_VAE_MALLOC_MMAP_THRESHOLD}: bytes (default {@value #DEFAULT_BYTES}), or {@code keep} for glibc's
 * default. A {@code MALLOC_MMAP_THRESHOLD_} in the environment wins (glibc read it already). Non-glibc systems keep
 * their allocator, saying so once.
 */
public final class NativeMalloc {
    public static final String ENV = "SPARK_VAE_MALLOC_MMAP_THRESHOLD";
    public static final int DEFAULT_BYTES = 4 << 20;
    /** glibc's malloc.h. */
    private static final int M_MMAP_THRESHOLD = -3;
    /** glibc refuses thresholds above HEAP_MAX_SIZE / 2 (32 MiB on 64-bit). */
    static final int MAX_BYTES = 32 << 20;

    private static volatile String applied;

    private NativeMalloc() { }

    /** The threshold asked for in bytes, 0 for keep; anything else refused with one line naming the variable. */
    public static int requested(String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT_BYTES;
        }
        if (setting.equalsIgnoreCase("keep")) {
            return 0;
        }
        try {
            int v = Integer.parseInt(setting.trim());
            if (v >= 4096 && v <= MAX_BYTES) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(ENV + " must be keep or bytes in 4096.." + MAX_BYTES + ", got '" + setting + "'");
    }

    /**
     * Applies the setting once per JVM (later calls return the first answer): what provenance records, e.g.
     * {@code "mmap threshold 4194304"}, {@code "glibc default"} or why nothing was set. Never throws.
     */
    public static synchronized String apply() {
        if (applied != null) {
            return applied;
        }
        int bytes;
        try {
            bytes = requested(System.getenv(ENV));
        } catch (IllegalArgumentException e) {
            System.err.println("spark-vae: " + e.getMessage() + "; using " + DEFAULT_BYTES);
            bytes = DEFAULT_BYTES;
        }
        if (System.getenv("MALLOC_MMAP_THRESHOLD_") != null) {
            applied = "MALLOC_MMAP_THRESHOLD_=" + System.getenv("MALLOC_MMAP_THRESHOLD_");
        } else if (bytes == 0) {
            applied = "glibc default";
        } else if (!Libc.AVAILABLE) {
            applied = "allocator default (" + Libc.WHY + ")";
            System.err.println("spark-vae: C allocator left as it is (" + Libc.WHY + ")");
        } else if (Libc.mallopt(M_MMAP_THRESHOLD, bytes) == 1) {
            applied = "mmap threshold " + bytes;
        } else {
            applied = "glibc refused mmap threshold " + bytes;
        }
        return applied;
    }

    /** What {@link #apply()} did, or "not set" before it ran: for provenance. */
    public static String current() {
        return applied == null ? "not set" : applied;
    }

    private static final class Libc {
        static final boolean AVAILABLE;
        static final String WHY;

        static {
            String why = Glibc.register(Libc.class); // glibc's M_MMAP_THRESHOLD
            WHY = why;
            AVAILABLE = why == null;
        }

        static native int mallopt(int param, int value);
    }
}
