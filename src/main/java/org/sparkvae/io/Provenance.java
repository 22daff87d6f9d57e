package org.sparkvae.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.sparkvae.backend.Denormals;
import org.sparkvae.backend.NativeMalloc;
import org.sparkvae.backend.NativeBuild;

/** Versions of the software that produced a model or a result. */
public final class Provenance {
    private Provenance() { }

    public static Map<String, String> versions() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/spark-vae-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // versions are informative; a missing file leaves them "unknown"
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("spark-vae", p.getProperty("version", "unknown"));
        v.put("dl4j", p.getProperty("dl4j.version", "unknown"));
        v.put("spark", p.getProperty("spark.version", "unknown"));
        v.put("java", System.getProperty("java.version"));
        v.put("nd4j_backend", org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName());
        // Which native build did the arithmetic (oneDNN or plain): results differ between builds in the last bits.
        v.put("nd4j_build", NativeBuild.loaded().map(NativeBuild.Build::label).orElse("n/a"));
        // Whether the thread recording this computed with subnormals flushed (flush, keep or unsupported).
        v.put("denormals", Denormals.current().label());
        // How the C allocator was told to hand large freed buffers back (NativeMalloc): it bounds peak memory.
        v.put("malloc", NativeMalloc.current());
        return v;
    }
}
