package org.sparkvae.backend;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** Binds a class's native methods to the C library by JNA direct mapping, on Linux with glibc only. */
final class Glibc {
    private Glibc() { }

    /**
     * Registers {@code target}'s native methods with libc; returns null when bound, else why not, in words.
     * glibc's own symbol {@code gnu_get_libc_version} is required: the callers rely on glibc's layouts and constants.
     */
    static String register(Class<?> target) {
        if (!"linux".equalsIgnoreCase(System.getProperty("os.name"))) {
            return "not Linux";
        }
        try {
            NativeLibrary c = NativeLibrary.getInstance("c");
            c.getFunction("gnu_get_libc_version");
            Native.register(target, c);
            return null;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "not glibc, or JNA cannot bind it: " + e.getMessage();
        }
    }
}
