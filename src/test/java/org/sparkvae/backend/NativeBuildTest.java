package org.sparkvae.backend;

import org.junit.jupiter.api.Test;
import org.sparkvae.backend.NativeBuild.Build;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeBuildTest {
    private static final Set<String> AVX512 = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd");
    private static final Set<String> AVX2 = Set.of("sse4_2", "avx", "avx2", "fma");
    private static final Set<String> OLD = Set.of("sse4_2", "avx");

    private static Predicate<String> holding(Build... builds) {
        return r -> List.of(builds).stream().anyMatch(b -> b.resource().equals(r));
    }

    @Test
    void autoTakesTheFastestBuildTheCpuRunsAndTheClassPathHolds() {
        assertEquals(Build.ONEDNN_AVX512, NativeBuild.choose("auto", AVX512, holding(Build.ONEDNN_AVX512, Build.ONEDNN_AVX2)));
        assertEquals(Build.ONEDNN_AVX2, NativeBuild.choose(null, AVX2, holding(Build.ONEDNN_AVX512, Build.ONEDNN_AVX2)));
        // The cluster jar ships one oneDNN build: a CPU without AVX-512 gets the plain build, never an illegal instruction.
        assertEquals(Build.PLAIN, NativeBuild.choose("auto", AVX2, holding(Build.ONEDNN_AVX512)));
        assertEquals(Build.ONEDNN, NativeBuild.choose("", OLD, holding(Build.ONEDNN_AVX512, Build.ONEDNN)));
        assertEquals(Build.PLAIN, NativeBuild.choose("auto", Set.of(), holding(Build.ONEDNN_AVX512, Build.ONEDNN_AVX2)));
        assertEquals(Build.PLAIN, NativeBuild.choose("auto", AVX512, holding()));
    }

    @Test
    void aNamedBuildIsTakenOrRefusedInOneLine() {
        assertEquals(Build.PLAIN, NativeBuild.choose("plain", AVX512, holding(Build.ONEDNN_AVX512)));
        assertEquals(Build.ONEDNN_AVX512, NativeBuild.choose("onednn-avx512", AVX512, holding(Build.ONEDNN_AVX512)));
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class,
                () -> NativeBuild.choose("onednn-avx512", AVX2, holding(Build.ONEDNN_AVX512)));
        assertEquals("SPARK_VAE_ND4J_BUILD=onednn-avx512: this CPU lacks avx512f, avx512bw, avx512dq, avx512vl, avx512cd, "
                + "which that build needs", cpu.getMessage());
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> NativeBuild.choose("onednn-avx2", AVX512, holding(Build.ONEDNN_AVX512)));
        assertTrue(absent.getMessage().startsWith("SPARK_VAE_ND4J_BUILD=onednn-avx2: that build is not on the class path"), absent.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> NativeBuild.choose("mkl", AVX512, holding(Build.ONEDNN_AVX512)));
        assertEquals("SPARK_VAE_ND4J_BUILD=mkl: not an ND4J build (auto, onednn-avx512, onednn-avx2, onednn, plain)", unknown.getMessage());
    }

    @Test
    void flagsComeFromCpuinfoAndExtensionsMapBack() {
        assertEquals(Set.of("fpu", "avx2", "avx512f"), NativeBuild.flagsOf(List.of("processor\t: 0", "model name\t: X",
                "flags\t\t: fpu avx2  avx512f", "flags\t\t: other")));
        assertEquals(Set.of(), NativeBuild.flagsOf(List.of("processor\t: 0")));
        for (Build b : Build.values()) {
            assertEquals(b, NativeBuild.fromExtension(b.extension()));
        }
        assertEquals("", Build.PLAIN.extension());
        assertEquals("-onednn-avx512", Build.ONEDNN_AVX512.extension());
    }

    /** This test JVM chose its build before ND4J loaded (TestNativeBuild), and ND4J loaded that one. */
    @Test
    void theTestJvmLoadedTheBuildItChose() {
        Build chosen = NativeBuild.select();
        org.nd4j.linalg.factory.Nd4j.create(1);
        assertEquals(chosen, NativeBuild.loaded().orElseThrow());
        assertEquals(chosen.extension(), System.getProperty(NativeBuild.PROPERTY));
    }
}
