package org.sparkvae.backend;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs {@link CudaPreflight} on the executors before a GPU job, so an unsupported GPU fails the job
 * with our one-line message instead of a native crash inside a training task. A no-op for the CPU
 * build. One small task per slot is scheduled; Spark spreads them over the executors.
 */
public final class ExecutorPreflight {
    private ExecutorPreflight() { }

    public static void requireSupportedGpus(JavaSparkContext sc) {
        if (!CudaPreflight.cudaBackendOnClasspath()) {
            return;
        }
        int slots = Math.max(1, sc.defaultParallelism());
        List<Integer> tasks = new ArrayList<>();
        IntStream.range(0, slots).forEach(tasks::add);
        List<String> refusals = sc.parallelize(tasks, slots).map(i -> {
            CudaPreflight.Verdict v = CudaPreflight.check(NvidiaSmi.query());
            return v.ok() ? "" : java.net.InetAddress.getLocalHost().getHostName() + ": " + v.message();
        }).filter(s -> !s.isEmpty()).distinct().collect();
        if (!refusals.isEmpty()) {
            throw new IllegalStateException("executor GPU preflight failed: " + String.join(" | ", refusals));
        }
    }
}
