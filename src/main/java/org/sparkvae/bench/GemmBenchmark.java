package org.sparkvae.bench;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;
import org.sparkvae.backend.Denormals;
import org.sparkvae.backend.NativeBuild;
import org.sparkvae.backend.NativeMalloc;

/**
 * The MLP step's gemm shapes alone (batch 128; forward, weight gradient, input gradient), each as libnd4j's matmul
 * op into a preallocated output, the way the hand-written decoder layers call it: whether the BLAS itself is behind
 * the step's gap to PyTorch ({@code bench/step-profile.sh} times the same shapes with {@code torch.mm}).
 */
public final class GemmBenchmark {
    private GemmBenchmark() { }

    /** m, k, n, transpose A, transpose B: C[m, n] = op(A) op(B). */
    static final long[][] SHAPES = {{128, 784, 512, 0, 0}, {128, 512, 512, 0, 0}, {128, 512, 784, 0, 0},
            {512, 128, 784, 1, 0}, {128, 784, 512, 0, 1}};

    public static void main(String[] args) {
        Denormals.applyHere();
        NativeBuild.select();
        NativeMalloc.apply();
        for (long[] s : SHAPES) {
            boolean ta = s[3] == 1, tb = s[4] == 1;
            INDArray a = ta ? Nd4j.rand(DataType.FLOAT, s[1], s[0]) : Nd4j.rand(DataType.FLOAT, s[0], s[1]);
            INDArray b = tb ? Nd4j.rand(DataType.FLOAT, s[2], s[1]) : Nd4j.rand(DataType.FLOAT, s[1], s[2]);
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {s[0], s[2]}, 'c');
            MMulTranspose t = MMulTranspose.builder().transposeA(ta).transposeB(tb).build();
            Runnable op = () -> Nd4j.exec(new Mmul(a, b, c, 1.0, 0.0, t));
            for (int i = 0; i < 200; i++) {
                op.run();
            }
            int n = 1000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            double us = (System.nanoTime() - t0) / 1e3 / n;
            System.out.printf(Locale.ROOT, "nd4j  %4dx%4dx%4d%s%s: %7.1f us, %6.1f GFLOP/s%n", s[0], s[1], s[2], ta ? " A^T" : "",
                    tb ? " B^T" : "", us, 2.0 * s[0] * s[1] * s[2] / us / 1e3);
        }
    }
}
