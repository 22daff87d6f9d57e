package org.sparkvae.backend;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CUDA preflight's decisions on recorded nvidia-smi outputs. */
class CudaPreflightTest {
    private static List<GpuInfo> recorded(String name) throws IOException {
        try (InputStream in = CudaPreflightTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
            return NvidiaSmi.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static CudaPreflight.Verdict verdict(String name) throws IOException {
        return CudaPreflight.check(recorded(name));
    }

    @Test
    void hopperIsRefusedNamingTheGpuAndTheSupportedSet() throws IOException {
        for (String host : new String[] {"h100.csv", "h200.csv"}) {
            CudaPreflight.Verdict v = verdict(host);
            assertFalse(v.ok(), host);
            assertTrue(v.message().contains("compute capability 9.0"), v.message());
            assertTrue(v.message().contains("3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0, 8.6"), v.message());
            assertFalse(v.message().contains("\n"), "one line");
        }
        assertTrue(verdict("h100.csv").message().contains("GPU 0 (NVIDIA H100 80GB HBM3)"));
    }

    @Test
    void keplerToAdaRun() throws IOException {
        for (String host : new String[] {"a100x2.csv", "t4.csv", "l4.csv", "a10g.csv", "k80-no-cc-field.csv"}) {
            CudaPreflight.Verdict v = verdict(host);
            assertTrue(v.ok(), host + ": " + v.message());
        }
        assertTrue(verdict("a100x2.csv").message().contains("2 GPU(s)"));
    }

    @Test
    void oneUnsupportedGpuAmongSeveralRefusesTheHost() throws IOException {
        CudaPreflight.Verdict v = verdict("mixed-a100-h100.csv");
        assertFalse(v.ok());
        assertTrue(v.message().contains("GPU 1 (NVIDIA H100 PCIe)"), v.message());
        assertFalse(v.message().contains("GPU 0"), v.message());
    }

    @Test
    void blackwellAndOldDriversAreRefused() throws IOException {
        assertTrue(verdict("rtx5090.csv").message().contains("compute capability 12.0"));
        CudaPreflight.Verdict old = verdict("v100-old-driver.csv");
        assertFalse(old.ok());
        assertTrue(old.message().contains("driver 418.87.00") && old.message().contains("450.80.02"), old.message());
    }

    @Test
    void noGpuIsRefused() {
        CudaPreflight.Verdict v = CudaPreflight.check(List.of());
        assertFalse(v.ok());
        assertTrue(v.message().contains("nvidia-smi"), v.message());
    }

    @Test
    void capabilityRules() {
        assertTrue(CudaPreflight.runsOn("8.9"));
        assertTrue(CudaPreflight.runsOn("8.7"));
        assertTrue(CudaPreflight.runsOn("3.7"));
        assertFalse(CudaPreflight.runsOn("3.5"), "Kepler before 3.7 has no SASS");
        assertFalse(CudaPreflight.runsOn("9.0"));
        assertFalse(CudaPreflight.runsOn("10.0"));
        assertEquals("8.6", CudaPreflight.capabilityFromName("NVIDIA A10"));
        assertEquals("8.0", CudaPreflight.capabilityFromName("NVIDIA A100-SXM4-80GB"));
        assertNull(CudaPreflight.capabilityFromName("Mystery GPU"));
        assertTrue(CudaPreflight.compareVersions("535.104.05", "450.80.02") > 0);
        assertTrue(CudaPreflight.compareVersions("450.80.01", "450.80.02") < 0);
    }

    @Test
    void parsesBothQueryFormsAndRejectsGarbage() throws IOException {
        GpuInfo k80 = recorded("k80-no-cc-field.csv").get(0);
        assertNull(k80.computeCapability());
        assertEquals("470.82.01", k80.driverVersion());
        GpuInfo h = recorded("h100.csv").get(0);
        assertEquals("9.0", h.computeCapability());
        assertThrows(IllegalArgumentException.class, () -> NvidiaSmi.parse("NVIDIA-SMI has failed because it couldn't communicate"));
    }
}
