package org.sparkvae.backend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads the visible GPUs from {@code nvidia-smi}'s CSV query output. */
public final class NvidiaSmi {
    /** The query: fields in this order, one line per GPU. */
    public static final String[] COMMAND = {"nvidia-smi", "--query-gpu=index,name,compute_cap,driver_version",
            "--format=csv,noheader"};
    /** Fallback for drivers older than 510, which do not know the compute_cap field. */
    public static final String[] COMMAND_WITHOUT_CC = {"nvidia-smi", "--query-gpu=index,name,driver_version",
            "--format=csv,noheader"};

    private NvidiaSmi() { }

    /** Parses output of {@link #COMMAND} (4 fields) or {@link #COMMAND_WITHOUT_CC} (3 fields). */
    public static List<GpuInfo> parse(String csv) {
        List<GpuInfo> gpus = new ArrayList<>();
        for (String line : csv.strip().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            for (int i = 0; i < f.length; i++) {
                f[i] = f[i].strip();
            }
            if (f.length != 4 && f.length != 3) {
                throw new IllegalArgumentException("unexpected nvidia-smi output line: " + line);
            }
            int index;
            try {
                index = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected nvidia-smi output line: " + line);
            }
            String cc = f.length == 4 && f[2].matches("\\d+\\.\\d+") ? f[2] : null;
            gpus.add(new GpuInfo(index, f[1], cc, f[f.length - 1]));
        }
        return gpus;
    }

    /** Runs nvidia-smi on this host; an empty list when it is absent or sees no GPU. */
    public static List<GpuInfo> query() throws IOException {
        String out = run(COMMAND);
        if (out == null) {
            out = run(COMMAND_WITHOUT_CC);
        }
        return out == null ? List.of() : parse(out);
    }

    private static String run(String[] command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null; // no nvidia-smi on this host
        }
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nvidia-smi did not answer within 60 s");
            }
            return p.exitValue() == 0 ? out : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running nvidia-smi");
        }
    }
}
