package org.sparkvae.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How large a network is before anything is allocated: its parameter count (from DL4J's own layer configurations,
 * which allocate nothing) and the bytes a training process needs for it. Every path that builds a network checks it
 * first ({@link Vae#create}, the training run before it writes anything, the model-zip reader).
 *
 * <p>Why: the model takes D from the data, and DL4J keeps all parameters in one flat array, whose length ND4J
 * indexes with an int in places; a data set of 2,000,000 columns made DL4J fail 49 s in with
 * {@code Cannot invoke "INDArray.length()" because "viewArray" is null} and an empty checkpoint directory left behind.
 *
 * @param parameters the network's parameter count
 * @param bytes      float32 weights, their gradients and Adam's two moments (4 copies), plus one minibatch's
 *                   activations forward and backward (an estimate: about 3 copies of every layer's output)
 */
public record ModelSize(VaeConfig config, int batchSize, long parameters, long bytes) {
    /** The largest array (DL4J's flat parameter vector) ND4J 1.0.0-M2.1 handles with int-indexed kernels. */
    public static final long MAX_ARRAY_ELEMENTS = Integer.MAX_VALUE;

    /**
     * The parameter count of a network configuration, summed over its layers in long arithmetic (allocates
     * nothing). Why not only {@code initializer().numParams}: for SameDiff layers (all of ours) DL4J 1.0.0-M2.1's
     * {@code SameDiffParamInitializer} multiplies each shape with {@code ArrayUtil.prod}, in int, so a 5,000,000 x 512
     * weight counts as 830,574,420 and the flat parameter array is then created too small.
     */
    public static long parameters(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            if (layer.getLayer() instanceof AbstractSameDiffLayer sd) {
                for (long[] shape : sd.getLayerParams().getParamShapes().values()) {
                    n += ArrayUtil.prodLong(shape);
                }
            } else {
                n += layer.getLayer().initializer().numParams(layer);
            }
        }
        return n;
    }

    /** The size of {@code config}'s network trained with minibatches of {@code batchSize}. */
    public static ModelSize of(VaeConfig config, int batchSize) {
        long params = parameters(VaeNetworkFactory.configuration(config, 0, DataType.FLOAT));
        // per row: input and reconstruction (D each, plus the loss layer's per-pixel terms), two hidden layers per
        // side, the latent block [z | mu | log sigma]
        long perRow = 3L * config.inputSize() + 4L * config.hiddenUnits() + 3L * config.latentDim();
        long bytes = 4L * (4 * params + 3 * perRow * Math.max(1, batchSize));
        return new ModelSize(config, batchSize, params, bytes);
    }

    /**
     * Refuses, in one line naming D, the layer sizes, the count and the bytes, a network that ND4J cannot hold in
     * one parameter array or that needs more than {@code availableBytes}.
     */
    public void check(long availableBytes) {
        String what = "a model of {inputSize} " + config.inputSize() + " (D, from the data) with layers " + layers()
                + " has " + String.format(Locale.ROOT, "%,d", parameters) + " parameters";
        if (parameters > MAX_ARRAY_ELEMENTS) {
            throw new SettingException("inputSize", what + ", more than the " + String.format(Locale.ROOT, "%,d", MAX_ARRAY_ELEMENTS)
                    + " one ND4J array holds: use fewer input columns or a smaller {hiddenUnits}");
        }
        if (bytes > availableBytes) {
            throw new SettingException("inputSize", what + " and needs " + gb(bytes) + " for weights, gradients, Adam state and a"
                    + " minibatch of " + batchSize + ", more than the " + gb(availableBytes) + " this process can have off the"
                    + " heap: use fewer input columns, a smaller {hiddenUnits} or a machine with more memory");
        }
    }

    /** {@link #check(long)} against {@link #availableBytes()}; returns this. */
    public ModelSize check() {
        check(availableBytes());
        return this;
    }

    /**
     * The memory this JVM can use outside its heap: the machine's (or its container's: Java 17 reads the cgroup
     * limit) physical memory less the maximum heap. ND4J 1.0.0-M2.1's CPU buffers come from libnd4j's own
     * allocator, which JavaCPP's {@code maxBytes} does not see, so physical memory is the bound that holds.
     */
    public static long availableBytes() {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return Math.max(0, physical - Runtime.getRuntime().maxMemory());
    }

    private String layers() {
        int h = config.hiddenUnits();
        return config.inputSize() + "-" + h + "-" + h + "-" + (2 * config.latentDim()) + " / " + config.latentDim() + "-" + h + "-" + h
                + "-" + config.inputSize();
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
