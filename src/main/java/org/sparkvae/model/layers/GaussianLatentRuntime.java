package org.sparkvae.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The runtime of {@link GaussianLatentLayer}, written by hand: stats = h W + b, mu and the clipped log-sigma from it,
 * z = mu + exp(logSigma) eps, output {@code [z | mu | logSigma | carried]}; backward by the chain rule, with the
 * clip's gradient zero where it clipped.
 *
 * <p>Why not SameDiff: its graph is a dozen tiny ops on [n, M] arrays, and a SameDiff layer pays an
 * {@code InferenceSession} per call for them (22 ms of a 175 ms MLP IWAE pass of 4,000 rows, for about 1 ms of
 * arithmetic), and DL4J's SameDiff backprop runs the forward graph again. {@code GaussianLatentRuntimeTest} pins this
 * class to the SameDiff definition.
 */
final class GaussianLatentRuntime extends HandWrittenRuntime {
    GaussianLatentRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private GaussianLatentLayer spec() {
        return (GaussianLatentLayer) layerConf();
    }

    private static INDArray cols(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    @Override
    INDArray forward(INDArray in, LayerWorkspaceMgr ws) {
        GaussianLatentLayer s = spec();
        long n = in.size(0), nIn = s.nIn(), m = s.latentDim(), c = s.carriedColumns();
        INDArray stats = ws.createUninitialized(ArrayType.FF_WORKING_MEM, paramType(), new long[] {n, 2 * m}, 'c');
        Nd4j.exec(new Mmul(cols(in, 0, nIn), param(GaussianLatentLayer.WEIGHTS), stats, 1.0, 0.0, MMulTranspose.allFalse()));
        stats.addiRowVector(param(GaussianLatentLayer.BIAS));
        INDArray mu = cols(stats, 0, m);
        INDArray logSigma = Transforms.min(Transforms.max(cols(stats, m, 2 * m), -GaussianLatentLayer.LOG_SIGMA_BOUND, true),
                GaussianLatentLayer.LOG_SIGMA_BOUND, false);
        INDArray z = Transforms.exp(logSigma, true).muli(cols(in, nIn + c, nIn + c + m)).addi(mu);
        INDArray out = ws.createUninitialized(ArrayType.ACTIVATIONS, paramType(), new long[] {n, 3 * m + c}, 'c');
        cols(out, 0, m).assign(z);
        cols(out, m, 2 * m).assign(mu);
        cols(out, 2 * m, 3 * m).assign(logSigma);
        if (c > 0) {
            cols(out, 3 * m, 3 * m + c).assign(cols(in, nIn, nIn + c));
        }
        return out;
    }

    @Override
    INDArray backward(INDArray in, INDArray eps, LayerWorkspaceMgr ws) {
        GaussianLatentLayer s = spec();
        long n = in.size(0), nIn = s.nIn(), m = s.latentDim(), c = s.carriedColumns();
        INDArray noise = cols(in, nIn + c, nIn + c + m);
        INDArray logSigma = cols(lastOutput, 2 * m, 3 * m);
        INDArray sigma = Transforms.exp(logSigma, true);
        INDArray dz = cols(eps, 0, m);
        // d stats = [dz + dmu | (dz * sigma * noise + dlogSigma) * (|logSigma| < bound)]
        INDArray dStats = ws.createUninitialized(ArrayType.BP_WORKING_MEM, paramType(), new long[] {n, 2 * m}, 'c');
        cols(dStats, 0, m).assign(dz).addi(cols(eps, m, 2 * m));
        INDArray inside = Transforms.abs(logSigma, true).lt(GaussianLatentLayer.LOG_SIGMA_BOUND).castTo(paramType());
        cols(dStats, m, 2 * m).assign(dz.mul(sigma).muli(noise).addi(cols(eps, 2 * m, 3 * m)).muli(inside));
        INDArray w = param(GaussianLatentLayer.WEIGHTS);
        Nd4j.exec(new Mmul(cols(in, 0, nIn), dStats, gradientView(GaussianLatentLayer.WEIGHTS), 1.0, 0.0,
                MMulTranspose.builder().transposeA(true).build()));
        gradientView(GaussianLatentLayer.BIAS).assign(dStats.sum(true, 0));
        INDArray dIn = ws.create(ArrayType.ACTIVATION_GRAD, paramType(), in.shape(), 'c');
        INDArray dh = ws.createUninitialized(ArrayType.BP_WORKING_MEM, paramType(), new long[] {n, nIn}, 'c');
        Nd4j.exec(new Mmul(dStats, w, dh, 1.0, 0.0, MMulTranspose.builder().transposeB(true).build()));
        cols(dIn, 0, nIn).assign(dh);
        if (c > 0) {
            cols(dIn, nIn, nIn + c).assign(cols(eps, 3 * m, 3 * m + c));
        }
        cols(dIn, nIn + c, nIn + c + m).assign(dz.mul(sigma)); // the noise's gradient (the preprocessor drops it)
        return dIn;
    }
}
