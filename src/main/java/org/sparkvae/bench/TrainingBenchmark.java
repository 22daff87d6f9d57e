package org.sparkvae.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.train.Trainer;
import org.sparkvae.train.TrainingOptions;

/** Single-JVM training throughput of the exercise's model on real MNIST. Args: dataDir [epochs] [latentDim] [batch]. */
public final class TrainingBenchmark {
    public static void main(String[] args) throws Exception {
        String dir = args.length > 0 ? args[0] : "data/mnist";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        LabelledImages train = new MnistFiles(dir).read28x28(MnistFiles.Split.TRAIN);
        INDArray x = Nd4j.create(train.features(DataMode.BINARY), new long[] {train.size(), 784}, 'c').castTo(DataType.FLOAT);
        Vae vae = Vae.create(VaeConfig.mnist(m), 1);
        System.out.printf("cores=%d OMP_NUM_THREADS=%s OPENBLAS_CORETYPE=%s m=%d batch=%d%n",
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                System.getenv("OPENBLAS_CORETYPE"), m, batch);
        new Trainer(new TrainingOptions(epochs, batch, 1), false).train(vae, x, e ->
                System.out.printf("epoch %d: %.2f s, %.0f samples/s, %.1f ms/step, train -ELBO %.2f%n",
                        e.epoch(), e.seconds(), e.samplesPerSecond(), 1000 * e.seconds() / Math.ceil(e.examples() / (double) batch),
                        e.trainNegElbo()));
    }
}
