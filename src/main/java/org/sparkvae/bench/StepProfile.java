package org.sparkvae.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkvae.backend.Denormals;
import org.sparkvae.backend.NativeBuild;
import org.sparkvae.backend.NativeMalloc;

/**
 * What one training step runs, for the speed issue's step table ({@code bench/step-profile.sh}): the real
 * {@code MultiLayerNetwork.fit} on real MNIST minibatches of 128, one thread, after a warm-up.
 * <ol>
 *   <li>Phases, unprofiled: DL4J's training listeners are called after the forward pass ({@code onForwardPass}),
 *   after backprop ({@code onBackwardPass}) and after the updater and parameter step ({@code iterationDone}), so
 *   the three intervals split the step as DL4J runs it. Java heap bytes per step from the thread's allocation
 *   counter.</li>
 *   <li>Ops, profiled: ND4J's {@link OpProfiler} with elapsed-time checks (the executioner's profiling mode) counts
 *   every libnd4j op and BLAS call the step makes and times each by name. Profiling adds a synchronous timing per
 *   op, so its times are for shares, the unprofiled phases for the step's length.</li>
 * </ol>
 * Args: dataDir [arch=mlp|cnn] [steps=100] [warmup=150] [ops=true]. Prints a report to stdout; with ops=false only the
 * phases (for a JFR recording of the unprofiled step, which bench/step-profile.sh splits by layer).
 */
public final class StepProfile {
    private StepProfile() { }

    /** Nanosecond marks of one step's phase boundaries, written by DL4J's listener calls on the training thread. */
    private static final class Phases extends BaseTrainingListener {
        long start;
        long forwardDone;
        long backwardDone;
        final List<long[]> steps = new ArrayList<>();
        boolean recording;

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            forwardDone = System.nanoTime();
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            forwardDone = System.nanoTime();
        }

        @Override
        public void onBackwardPass(Model model) {
            backwardDone = System.nanoTime();
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long end = System.nanoTime();
            if (recording) {
                steps.add(new long[] {forwardDone - start, backwardDone - forwardDone, end - backwardDone, end - start});
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Denormals.applyHere(); // as the trainers do on the thread that computes
        NativeBuild.select();
        NativeMalloc.apply(); // as the trainers: glibc's mmap threshold fixed (NativeMalloc)
        String dir = args.length > 0 ? args[0] : "data/mnist";
        Architecture arch = args.length > 1 ? Architecture.valueOf(args[1].toUpperCase(Locale.ROOT)) : Architecture.MLP;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 150;
        boolean ops = args.length <= 4 || Boolean.parseBoolean(args[4]);
        int batch = 128;
        LabelledImages train = new MnistFiles(dir).read28x28(MnistFiles.Split.TRAIN).head(batch * 50);
        INDArray x = Nd4j.create(train.features(DataMode.BINARY), new long[] {train.size(), 784}, 'c').castTo(DataType.FLOAT);
        Vae vae = Vae.create(VaeConfig.mnist(10).withArch(arch), 1);
        MultiLayerNetwork net = vae.network();
        Phases phases = new Phases();
        net.addListeners(phases);
        int minibatches = (int) (x.rows() / batch);
        java.util.function.IntConsumer step = i -> {
            INDArray b = x.get(NDArrayIndex.interval((long) (i % minibatches) * batch, (long) (i % minibatches + 1) * batch),
                    NDArrayIndex.all()).dup();
            phases.start = System.nanoTime();
            net.fit(new DataSet(b, b));
        };
        for (int i = 0; i < warmup; i++) {
            step.accept(i);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heap0 = threads.getCurrentThreadAllocatedBytes();
        phases.recording = true;
        for (int i = 0; i < steps; i++) {
            step.accept(warmup + i);
        }
        phases.recording = false;
        long heapPerStep = (threads.getCurrentThreadAllocatedBytes() - heap0) / steps;

        System.out.printf(Locale.ROOT, "arch=%s nd4j=%s steps=%d warmup=%d batch=%d%n", arch.name().toLowerCase(Locale.ROOT),
                NativeBuild.loaded().map(NativeBuild.Build::label).orElse("?"),
                steps, warmup, batch);
        String[] names = {"forward (through the ELBO layer's input)", "backward (loss + backprop)", "updater + parameter step", "step"};
        for (int k = 0; k < 4; k++) {
            final int kk = k;
            double[] ms = phases.steps.stream().mapToDouble(s -> s[kk] / 1e6).sorted().toArray();
            System.out.printf(Locale.ROOT, "phase %-42s median %7.2f ms%n", names[k], ms[ms.length / 2]);
        }
        System.out.printf(Locale.ROOT, "java heap allocated per step: %.1f KB%n", heapPerStep / 1024.0);

        if (!ops) {
            return;
        }
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        for (int i = 0; i < steps; i++) {
            step.accept(warmup + steps + i);
        }
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        OpProfiler p = OpProfiler.getInstance();
        System.out.printf(Locale.ROOT, "op invocations per step (libnd4j ops and BLAS calls, profiled): %.1f%n",
                p.getInvocationsCount() / (double) steps);
        System.out.println("--- ops by name: count over " + steps + " steps ---");
        System.out.println(p.getOpCounter().asString());
        // Per op name, OpProfiler keeps only calls over its 100 us threshold; the totals per op class are complete.
        System.out.println("--- op classes: time over " + steps + " steps (profiled) ---");
        System.out.println(p.getClassAggergator().asPercentageString());
    }
}
