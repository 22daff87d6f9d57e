package org.sparkvae.cli;

import org.sparkvae.backend.CudaPreflight;
import org.sparkvae.backend.GpuInfo;
import org.sparkvae.backend.NvidiaSmi;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code gpu-check}: can ND4J's CUDA backend run on this host's GPUs? Exit 0 if yes, 1 if not. */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "Check with nvidia-smi whether this host's GPUs can run the CUDA build (nd4j-cuda-11.6 1.0.0-M2.1).")
final class GpuCheckCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        List<GpuInfo> gpus = NvidiaSmi.query();
        for (GpuInfo g : gpus) {
            System.out.printf("GPU %d: %s, compute capability %s, driver %s%n", g.index(), g.name(),
                    g.computeCapability() == null ? "(not reported)" : g.computeCapability(), g.driverVersion());
        }
        System.out.println("CUDA backend on this classpath: " + (CudaPreflight.cudaBackendOnClasspath() ? "yes" : "no (CPU build)"));
        CudaPreflight.Verdict v = CudaPreflight.check(gpus);
        if (!v.ok()) {
            throw new IllegalStateException(v.message());
        }
        System.out.println(v.message());
        return 0;
    }
}
