package org.sparkvae.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures of the CLI's exit line under SPARK_VAE_PEAK_RSS: the process's VmHWM and the heap's bound beside it. */
class PeakMemoryLineTest {
    @Test
    void theHeapBoundCoversWhatTheHeapHoldsAndTheResidentPeakIsTheKernels() {
        byte[] held = new byte[64 << 20]; // 64 MB on the heap, touched
        java.util.Arrays.fill(held, (byte) 1);
        long heap = SparkVaeCli.peakHeapCommittedMegabytes();
        long resident = SparkVaeCli.peakResidentMegabytes();
        assertTrue(heap >= 64, "heap bound " + heap + " MB with 64 MB held");
        assertTrue(resident >= 64, "VmHWM " + resident + " MB with 64 MB touched");
        assertTrue(held[held.length - 1] == 1);
    }
}
