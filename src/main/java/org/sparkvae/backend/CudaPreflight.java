package org.sparkvae.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides, before ND4J's CUDA backend loads, whether it can run on this host's GPUs, and refuses
 * with one clear sentence instead of a native crash ("no kernel image is available") deep in ND4J.
 *
 * <p>The facts: {@code org.nd4j:nd4j-cuda-11.6:1.0.0-M2.1:linux-x86_64} carries SASS (machine code)
 * for compute capabilities 3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0 and 8.6 and no PTX. SASS built for
 * X.y runs on X.z with z &ge; y, so 8.7 and 8.9 (L4, RTX 40xx) run the 8.6 code; no other major
 * version can run it: Hopper (9.0: H100, H200) and Blackwell (10.x, 12.x) cannot. CUDA 11.x with
 * minor-version compatibility needs driver &ge; 450.80.02.
 */
public final class CudaPreflight {
    /** Compute capabilities with SASS in the published native library. */
    public static final List<String> SASS_CAPABILITIES = List.of("3.7", "5.0", "5.2", "6.0", "6.1", "7.0", "7.5", "8.0", "8.6");
    /** Oldest Linux driver that runs CUDA 11.x applications (minor-version compatibility). */
    public static final String MIN_DRIVER = "450.80.02";

    /** Compute capabilities of common GPUs, for drivers too old to report compute_cap (before 510). */
    private static final Map<String, String> KNOWN_BY_NAME = Map.ofEntries(
            Map.entry("K80", "3.7"), Map.entry("M60", "5.2"), Map.entry("M40", "5.2"), Map.entry("P100", "6.0"),
            Map.entry("P40", "6.1"), Map.entry("P4", "6.1"), Map.entry("V100", "7.0"), Map.entry("T4", "7.5"),
            Map.entry("A100", "8.0"), Map.entry("A30", "8.0"), Map.entry("A10", "8.6"), Map.entry("A40", "8.6"),
            Map.entry("L4", "8.9"), Map.entry("L40", "8.9"), Map.entry("H100", "9.0"), Map.entry("H200", "9.0"));

    /** The verdict: {@code ok}, and if not, one line saying why. */
    public record Verdict(boolean ok, String message) { }

    private CudaPreflight() { }

    public static Verdict check(List<GpuInfo> gpus) {
        if (gpus.isEmpty()) {
            return new Verdict(false, "the CUDA backend needs an NVIDIA GPU, but nvidia-smi is missing or sees none; "
                    + "use the CPU build (without -Pcuda / --gpu)");
        }
        List<String> problems = new ArrayList<>();
        for (GpuInfo g : gpus) {
            String cc = g.computeCapability() != null ? g.computeCapability() : capabilityFromName(g.name());
            if (cc == null) {
                problems.add("GPU " + g.index() + " (" + g.name() + "): compute capability unknown (driver "
                        + g.driverVersion() + " cannot report it and the model is not in our table)");
            } else if (!runsOn(cc)) {
                problems.add("GPU " + g.index() + " (" + g.name() + ") has compute capability " + cc);
            }
            if (compareVersions(g.driverVersion(), MIN_DRIVER) < 0) {
                problems.add("GPU " + g.index() + " (" + g.name() + ") has driver " + g.driverVersion()
                        + ", CUDA 11.6 needs >= " + MIN_DRIVER);
            }
        }
        if (problems.isEmpty()) {
            return new Verdict(true, "CUDA backend can run on " + gpus.size() + " GPU(s): " + describe(gpus));
        }
        return new Verdict(false, String.join("; ", problems) + ": nd4j-cuda-11.6 1.0.0-M2.1 has kernels only for compute "
                + "capability " + String.join(", ", SASS_CAPABILITIES) + " (8.7/8.9 by compatibility) and no PTX, "
                + "so it cannot run here; use the CPU build (without -Pcuda / --gpu) or a Kepler-to-Ada GPU");
    }

    /** True when SASS for the same major version and an equal or lower minor version exists. */
    public static boolean runsOn(String capability) {
        String[] c = capability.split("\\.");
        int major = Integer.parseInt(c[0]);
        int minor = Integer.parseInt(c[1]);
        for (String s : SASS_CAPABILITIES) {
            String[] k = s.split("\\.");
            if (Integer.parseInt(k[0]) == major && Integer.parseInt(k[1]) <= minor) {
                return true;
            }
        }
        return false;
    }

    static String capabilityFromName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String best = null;
        int bestLength = 0;
        for (Map.Entry<String, String> e : KNOWN_BY_NAME.entrySet()) {
            // whole-word match so "A10" does not match "A100"
            if (upper.matches(".*\\b" + e.getKey() + "\\b.*") && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    /** Compares dotted numeric versions ("535.104.05" vs "450.80.02"); unparsable sorts lowest. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parseOr(x[i]) : 0;
            int yi = i < y.length ? parseOr(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parseOr(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String describe(List<GpuInfo> gpus) {
        List<String> parts = new ArrayList<>();
        for (GpuInfo g : gpus) {
            String cc = g.computeCapability() != null ? g.computeCapability() : capabilityFromName(g.name());
            parts.add(g.index() + " " + g.name() + " (cc " + cc + ", driver " + g.driverVersion() + ")");
        }
        return String.join(", ", parts);
    }

    /** True when this JVM's classpath holds ND4J's CUDA backend (the -Pcuda build). */
    public static boolean cudaBackendOnClasspath() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, CudaPreflight.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
