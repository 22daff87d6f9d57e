package org.sparkvae.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkvae.model.layers.GaussianLatentLayer;

/**
 * Where things are in a spark-vae network, in one place: the columns the layers carry alongside their output
 * to the loss, and the layer indices (which the VampPrior's pseudo-input layer, the CNN and a second latent
 * level shift). The network factory builds by it, {@link Vae} reads by it, and the ELBO layer names its input
 * blocks by its constants.
 *
 * <p>Columns come in blocks of M (the latent dimension). A latent layer outputs {@code [z | mu | logSigma]}
 * followed by whatever it carries; with two levels the decoder and the loss see, after the decoder's own
 * output, {@code [pmu1 | plogSigma1 | z2 | mu2 | logSigma2 | z1 | mu1 | logSigma1]} (the conditional prior
 * p(z1|z2), then each level's sample and posterior).
 */
public final class NetworkLayout {
    /** Blocks of a latent layer's output. */
    public static final int Z = 0;
    public static final int MU = 1;
    public static final int LOG_SIGMA = 2;
    /** Blocks carried to the loss with two levels. */
    public static final int P_MU1 = 0;
    public static final int P_LOG_SIGMA1 = 1;
    public static final int Z2 = 2;
    public static final int MU2 = 3;
    public static final int LOG_SIGMA2 = 4;
    public static final int Z1 = 5;
    public static final int MU1 = 6;
    public static final int LOG_SIGMA1 = 7;
    public static final int ONE_LEVEL_BLOCKS = 3;
    public static final int TWO_LEVEL_BLOCKS = 8;

    private final long latentDim;
    private final int levels;

    public NetworkLayout(VaeConfig c) {
        this(c.latentDim(), c.levels());
    }

    public NetworkLayout(long latentDim, int levels) {
        this.latentDim = latentDim;
        this.levels = levels;
    }

    /** First column of block {@code b}. */
    public long column(int block) {
        return block * latentDim;
    }

    /** Blocks carried past the decoder to the loss. */
    public int carriedBlocks() {
        return levels == 2 ? TWO_LEVEL_BLOCKS : ONE_LEVEL_BLOCKS;
    }

    public long carriedWidth() {
        return column(carriedBlocks());
    }

    /** Where the decoder reads its code among the carried columns: z, or z1 with two levels. */
    public long decoderCode() {
        return column(levels == 2 ? Z1 : Z);
    }

    /** The decoder's input for codes z [n, M]: z in its place, zeros in the columns that only ride along to the loss. */
    public INDArray decoderInput(INDArray z, DataType dataType) {
        long n = z.size(0);
        INDArray in = Nd4j.zeros(dataType, n, carriedWidth());
        in.get(NDArrayIndex.all(), NDArrayIndex.interval(decoderCode(), decoderCode() + latentDim)).assign(z.castTo(dataType));
        return in;
    }

    /** q(z|x) from a latent layer's output rows: [z | mu | logSigma | ...]. */
    public Posterior posterior(INDArray latentOutput) {
        return new Posterior(block(latentOutput, MU), block(latentOutput, LOG_SIGMA), block(latentOutput, Z));
    }

    private INDArray block(INDArray a, int b) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(column(b), column(b + 1))).dup();
    }

    /** Index of the first {@link GaussianLatentLayer}: after the encoder (and the pseudo-input layer), before the decoder. */
    public static int latentLayer(MultiLayerConfiguration conf) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof GaussianLatentLayer) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a spark-vae network: no GaussianLatentLayer");
    }

    /** Index of the second level's latent layer q(z2|z1), or -1 with one level. */
    public static int secondLatentLayer(MultiLayerConfiguration conf) {
        for (int i = latentLayer(conf) + 1; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof GaussianLatentLayer) {
                return i;
            }
        }
        return -1;
    }

    /** The ELBO layer: always the last. */
    public static int outputLayer(MultiLayerConfiguration conf) {
        return conf.getConfs().size() - 1;
    }

    /** Index of the first layer of the decoder p(x|z1): 3 dense layers (MLP) or 2 dense + 2 deconvolutions (CNN) before the loss. */
    public static int decoderStart(Architecture arch, MultiLayerConfiguration conf) {
        return outputLayer(conf) - (arch == Architecture.CNN ? 4 : 3);
    }
}
