package org.sparkvae.backend;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * Whether the threads that compute flush subnormal floats to zero (x86's MXCSR bits FTZ and DAZ), decided here
 * once for every JVM spark-vae runs in.
 *
 * <p>Why: as a VAE trains, some activations and gradients fall below 1.2e-38, and Intel cores take a microcode
 * assist of about a hundred cycles for each operation on such a value (AMD's Zen cores barely pay). Measured on an
 * Intel Xeon VM: epochs of the README's main command grew from 32 to 61 s; with FTZ|DAZ epoch 3 took 31.1 s
 * against 52.5 s, with the same losses to three decimals. PyTorch offers the same switch
 * ({@code torch.set_flush_denormal(True)}).
 *
 * <p>MXCSR is per thread, and HotSpot's call stub loads its standard MXCSR whenever native code enters Java (a
 * thread's start, a JNI upcall, {@code Method.invoke} through the native accessor) and restores the caller's on
 * return. So {@link #applyHere()} must run in Java code on the thread that will compute, with no native-to-Java
 * transition between it and the work: first thing in the CLI's {@code main}, at each Spark task's start
 * ({@link NativeBuild.Plugin}'s {@code onTaskStart}, which Spark calls on the task's own thread), and at the start
 * of the library's own training and evaluation loops. Native threads that never enter Java (OpenMP workers, BLAS
 * threads) inherit the environment of the thread that creates them (POSIX): libgomp creates a thread's pool at its
 * first parallel region, after the bits are set there; OpenBLAS creates its pool when it loads, which
 * {@link NativeBuild.Plugin} and the CLI make happen after the bits are set.
 *
 * <p>{@code SPARK_VAE_DENORMALS=keep} keeps the default (IEEE gradual underflow). Other CPUs than x86-64 and C
 * libraries other than glibc keep it too, saying so once. The bits are set through glibc's
 * {@code fegetenv}/{@code fesetenv} called by JNA (on x86-64 glibc, {@code fenv_t} is 32 bytes with {@code mxcsr}
 * at byte 28); a downcall returns to Java without touching MXCSR (HotSpot's {@code RestoreMXCSROnJNICalls} is off
 * by default).
 */
public final class Denormals {
    public static final String ENV = "SPARK_VAE_DENORMALS";
    /** MXCSR's flush-to-zero (results) and denormals-are-zero (operands) bits. */
    public static final int FTZ = 0x8000;
    public static final int DAZ = 0x0040;
    private static final int FENV_BYTES = 32;
    private static final int MXCSR_OFFSET = 28;

    /** What the threads that compute do with subnormal floats. */
    public enum Mode {
        /** FTZ|DAZ set: subnormals become zero. */
        FLUSH,
        /** The default kept on request ({@code SPARK_VAE_DENORMALS=keep}). */
        KEEP,
        /** The default kept because this CPU or C library offers no way here (not x86-64, not glibc). */
        UNSUPPORTED;

        /** The word provenance records. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static volatile boolean said;

    private Denormals() { }

    /** The mode asked for: {@code flush} (the default) or {@code keep}; anything else is refused with one line. */
    public static Mode requested(String setting) {
        if (setting == null || setting.isBlank() || setting.equalsIgnoreCase("flush")) {
            return Mode.FLUSH;
        }
        if (setting.equalsIgnoreCase("keep")) {
            return Mode.KEEP;
        }
        throw new IllegalArgumentException(ENV + " must be flush or keep, got '" + setting + "'");
    }

    /** {@link #applyHere(Mode)} with the mode the environment asks for (an unknown value: flush, said once). */
    public static Mode applyHere() {
        Mode m;
        try {
            m = requested(System.getenv(ENV));
        } catch (IllegalArgumentException e) {
            sayOnce("spark-vae: " + e.getMessage() + "; flushing subnormals");
            m = Mode.FLUSH;
        }
        return applyHere(m);
    }

    /**
     * Puts this thread in {@code wanted} mode (FLUSH sets FTZ|DAZ, KEEP clears them) and returns the mode in force,
     * UNSUPPORTED where this machine cannot say. Never throws; cheap (two calls into libc).
     */
    public static Mode applyHere(Mode wanted) {
        if (!Libc.AVAILABLE) {
            sayOnce("spark-vae: subnormal floats kept (" + Libc.WHY + ")");
            return Mode.UNSUPPORTED;
        }
        byte[] env = new byte[FENV_BYTES];
        if (Libc.fegetenv(env) != 0) {
            return Mode.UNSUPPORTED;
        }
        int mxcsr = mxcsrOf(env);
        int next = wanted == Mode.FLUSH ? mxcsr | FTZ | DAZ : mxcsr & ~(FTZ | DAZ);
        if (next != mxcsr) {
            putInt(env, MXCSR_OFFSET, next);
            if (Libc.fesetenv(env) != 0) {
                return Mode.UNSUPPORTED;
            }
        }
        return wanted == Mode.FLUSH ? Mode.FLUSH : Mode.KEEP;
    }

    /** This thread's MXCSR, or empty where it cannot be read (not x86-64 glibc). */
    public static OptionalInt mxcsr() {
        if (!Libc.AVAILABLE) {
            return OptionalInt.empty();
        }
        byte[] env = new byte[FENV_BYTES];
        return Libc.fegetenv(env) == 0 ? OptionalInt.of(mxcsrOf(env)) : OptionalInt.empty();
    }

    /** The mode this thread is in now: what provenance records for the thread that ran the work. */
    public static Mode current() {
        OptionalInt m = mxcsr();
        if (m.isEmpty()) {
            return Mode.UNSUPPORTED;
        }
        return (m.getAsInt() & (FTZ | DAZ)) == (FTZ | DAZ) ? Mode.FLUSH : Mode.KEEP;
    }

    private static int mxcsrOf(byte[] env) {
        // fenv_t is in the machine's byte order: little-endian on x86-64
        return (env[MXCSR_OFFSET] & 0xFF) | (env[MXCSR_OFFSET + 1] & 0xFF) << 8
                | (env[MXCSR_OFFSET + 2] & 0xFF) << 16 | (env[MXCSR_OFFSET + 3] & 0xFF) << 24;
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void sayOnce(String line) {
        if (!said) {
            said = true;
            System.err.println(line);
        }
    }

    /** glibc's floating-point environment calls, bound only on x86-64 glibc (JNA direct mapping). */
    private static final class Libc {
        static final boolean AVAILABLE;
        static final String WHY;

        static {
            String arch = System.getProperty("os.arch", "");
            // on x86-64 glibc the fenv_t layout (mxcsr at byte 28) is known
            String why = !arch.equals("amd64") && !arch.equals("x86_64") ? "this CPU is " + arch + ", not x86-64"
                    : Glibc.register(Libc.class);
            WHY = why;
            AVAILABLE = why == null;
        }

        static native int fegetenv(byte[] env);

        static native int fesetenv(byte[] env);
    }
}
