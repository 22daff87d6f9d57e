package org.sparkvae.bench;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.backend.Denormals;
import org.sparkvae.backend.NativeBuild;
import org.sparkvae.backend.NativeMalloc;
import org.sparkvae.model.layers.PassThroughDeconvLayer;
import org.sparkvae.model.layers.PassThroughDenseLayer;

import java.util.List;
import java.util.Locale;

/**
 * The CNN decoder's two transposed convolutions alone (kernel 4, stride 2, padding 1; 64→32 channels at 7x7 and
 * 32→1 at 14x14) at a training batch (128) and an IWAE pass (4,000 rows): libnd4j's {@code deconv2d} forward and
 * {@code deconv2d_bp} (oneDNN's kernels in the oneDNN build), with its platform helper and without, beside the forward
 * pass of the layer as spark-vae runs it ({@code PassThroughDeconvRuntime}, which takes another road for one output
 * channel). Arguments: repetitions (default 10). Medians of the repetitions, one thread.
 */
public final class DeconvBenchmark {
    private DeconvBenchmark() { }

    /** channels in, channels out, input size. */
    static final long[][] LAYERS = {{64, 32, 7}, {32, 1, 14}};
    static final long[] BATCHES = {128, 4000};

    public static void main(String[] args) {
        Denormals.applyHere();
        NativeBuild.select();
        NativeMalloc.apply();
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        for (long[] l : LAYERS) {
            for (long n : BATCHES) {
                long cIn = l[0], cOut = l[1], s = l[2];
                // As in the network: ReLU but on the last layer, and the 3 M = 30 latent columns carried along to the loss.
                boolean relu = cOut > 1;
                PassThroughDeconvLayer spec = new PassThroughDeconvLayer(cIn, cOut, s, 30,
                        relu ? PassThroughDenseLayer.Activation.RELU : PassThroughDenseLayer.Activation.IDENTITY);
                NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).layer(spec).build();
                INDArray params = Nd4j.create(DataType.FLOAT, 1, spec.initializer().numParams(conf));
                Layer layer = spec.instantiate(conf, List.of(), 0, params, true, DataType.FLOAT);
                INDArray w = layer.getParam("W");
                INDArray b = layer.getParam("b");
                INDArray a = Nd4j.rand(DataType.FLOAT, n, cIn, s, s);
                INDArray flat = Nd4j.hstack(a.reshape('c', n, cIn * s * s), Nd4j.rand(DataType.FLOAT, n, 30));
                INDArray out = Nd4j.create(DataType.FLOAT, n, cOut, 2 * s, 2 * s);
                INDArray delta = Nd4j.rand(DataType.FLOAT, n, cOut, 2 * s, 2 * s);
                INDArray gA = Nd4j.create(DataType.FLOAT, a.shape());
                INDArray gW = Nd4j.create(DataType.FLOAT, w.shape());
                INDArray gB = Nd4j.create(DataType.FLOAT, b.shape());
                int[] geo = {4, 4, 2, 2, 1, 1, 1, 1, 0, 0};
                Runnable fwd = () -> Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(a, w, b).addOutputs(out)
                        .addIntegerArguments(geo).build());
                Runnable bwd = () -> Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp").addInputs(a, w, b, delta)
                        .addOutputs(gA, gW, gB).addIntegerArguments(geo).build());
                double flop = 2.0 * n * cIn * cOut * s * s * 16;
                String shape = String.format(Locale.ROOT, "%3d->%2d at %2dx%-2d n=%4d", cIn, cOut, s, s, n);
                for (boolean helpers : new boolean[] {true, false}) {
                    Nd4j.getEnvironment().allowHelpers(helpers);
                    double f = time(fwd, reps), g = time(bwd, reps);
                    System.out.printf(Locale.ROOT, "%s deconv2d, helpers %-5s: forward %8.2f ms (%5.1f GFLOP/s), backward %8.2f ms%n",
                            shape, helpers, f, flop / f / 1e6, g);
                }
                Nd4j.getEnvironment().allowHelpers(true);
                LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
                fwd.run();
                INDArray expected = out.reshape('c', n, cOut * 4 * s * s);
                expected = relu ? org.nd4j.linalg.ops.transforms.Transforms.relu(expected, true) : expected;
                double diff = layer.activate(flat, false, ws).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, cOut * 4 * s * s)).sub(expected).amaxNumber().doubleValue();
                double r = time(() -> layer.activate(flat, false, ws), reps);
                System.out.printf(Locale.ROOT, "%s spark-vae's layer      : forward %8.2f ms (%5.1f GFLOP/s), max |diff| to deconv2d %.1e%n",
                        shape, r, flop / r / 1e6, diff);
            }
        }
    }

    /** Median milliseconds of {@code reps} runs after 3 warm-ups. */
    private static double time(Runnable op, int reps) {
        for (int i = 0; i < 3; i++) {
            op.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[reps / 2];
    }
}
