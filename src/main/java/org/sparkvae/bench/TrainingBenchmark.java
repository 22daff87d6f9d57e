package org.sparkvae.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.run.ElboReport;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.train.LocalTrainer;
import org.sparkvae.train.TrainingOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparkvae.backend.NativeBuild;

/**
 * Single-JVM training and evaluation timings on real MNIST, the Java half of {@code bench/vs-pytorch.sh}
 * (the other half is {@code bench/reference/vae_reference.py}, same model, same data).
 * Args: dataDir [epochs=2] [latentDim=10] [batch=128] [arch=mlp|cnn] [trainImages=0 (all)] [iwaeK=100] [iwaeImages=2000].
 * Prints one line per epoch to stderr and a JSON line with the same keys as the reference to stdout.
 */
public final class TrainingBenchmark {
    public static void main(String[] args) throws Exception {
        NativeBuild.select(); // as the CLI: the ND4J build for this CPU (SPARK_VAE_ND4J_BUILD)
        String dir = args.length > 0 ? args[0] : "data/mnist";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        Architecture arch = args.length > 4 ? Architecture.valueOf(args[4].toUpperCase(Locale.ROOT)) : Architecture.MLP;
        int trainImages = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        int iwaeK = args.length > 6 ? Integer.parseInt(args[6]) : 100;
        int iwaeImages = args.length > 7 ? Integer.parseInt(args[7]) : 2000;
        MnistFiles files = new MnistFiles(dir);
        LabelledImages train = files.read28x28(MnistFiles.Split.TRAIN);
        if (trainImages > 0) {
            train = train.head(trainImages);
        }
        LabelledImages test = files.read28x28(MnistFiles.Split.TEST);
        INDArray x = Nd4j.create(train.features(DataMode.BINARY), new long[] {train.size(), 784}, 'c').castTo(DataType.FLOAT);
        INDArray xTest = Nd4j.create(test.features(DataMode.BINARY), new long[] {test.size(), 784}, 'c').castTo(DataType.FLOAT);
        Vae vae = Vae.create(VaeConfig.mnist(m).withArch(arch), 1);
        System.err.printf("cores=%d OMP_NUM_THREADS=%s OPENBLAS_CORETYPE=%s nd4j=%s arch=%s m=%d batch=%d images=%d%n",
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"),
                NativeBuild.loaded().map(NativeBuild.Build::label).orElse("?"),
                arch, m, batch, train.size());
        List<Double> seconds = new ArrayList<>();
        List<EpochRecord> history = new LocalTrainer(new TrainingOptions(epochs, batch, 1)).train(vae, x, e -> {
            seconds.add(e.seconds());
            System.err.printf(Locale.ROOT, "epoch %d: %.2f s, %.0f samples/s, %.1f ms/step, train -ELBO %.2f%n",
                    e.epoch(), e.seconds(), e.samplesPerSecond(), 1000 * e.seconds() / Math.ceil(e.examples() / (double) batch),
                    e.trainNegElbo());
        });
        long t0 = System.nanoTime();
        ElboReport r = new ElboEvaluator(ElboEvaluator.DEFAULT_BATCH, false).evaluate(vae, xTest, 0, true);
        double evalSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        IwaeEvaluator.Sums iw = new IwaeEvaluator(iwaeK, false).sums(vae,
                xTest.get(NDArrayIndex.interval(0, iwaeImages), NDArrayIndex.all()), 0);
        double iwaeSeconds = (System.nanoTime() - t1) / 1e9;
        StringBuilder secs = new StringBuilder();
        for (double s : seconds) {
            secs.append(secs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", s));
        }
        System.out.printf(Locale.ROOT, "{\"implementation\": \"spark-vae\", \"nd4j_build\": \"%s\", \"arch\": \"%s\", \"latent_dim\": %d, \"epochs\": %d, "
                        + "\"steps_per_epoch\": %d, \"seconds_per_epoch\": [%s], \"test_neg_elbo\": %.4f, \"test_nll_iwae\": %.4f, "
                        + "\"iwae_k\": %d, \"iwae_n\": %d, \"eval_seconds\": %.3f, \"iwae_seconds\": %.3f, \"train_neg_elbo\": %.4f}%n",
                NativeBuild.loaded().map(NativeBuild.Build::label).orElse("?"),
                arch.name().toLowerCase(Locale.ROOT), m, epochs, (train.size() + batch - 1) / batch, secs, r.negElbo(), iw.meanNll(),
                iwaeK, iw.n(), evalSeconds, iwaeSeconds, history.get(history.size() - 1).trainNegElbo());
    }
}
