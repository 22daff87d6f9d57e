package org.sparkvae.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.sparkvae.backend.NativeBuild;
import org.sparkvae.train.LocalTrainer;

/**
 * DL4J's floor for our MLP (the speed issue's item 2): a network of stock DL4J layers with the VAE's shape and
 * FLOPs — Dense 784-512-512-2M (the encoder and its mu/log-sigma heads), Dense M-512-512, and a stock sigmoid
 * cross-entropy output layer 512-784 — trained with the same Adam, batch, shuffling and data path as
 * {@code TrainingBenchmark}. It cannot sample z, so it is not a VAE: only its time per step matters. Our own
 * layers should cost no more than this.
 * Args: dataDir [epochs=3] [latentDim=10] [batch=128] [trainImages=0 (all)]. Prints a JSON line like the others.
 */
public final class StockNetworkBenchmark {
    public static void main(String[] args) throws java.io.IOException {
        NativeBuild.select(); // as the CLI: the ND4J build for this CPU (SPARK_VAE_ND4J_BUILD)
        String dir = args.length > 0 ? args[0] : "data/mnist";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int trainImages = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        LabelledImages train = new MnistFiles(dir).read28x28(MnistFiles.Split.TRAIN);
        if (trainImages > 0) {
            train = train.head(trainImages);
        }
        int n = train.size();
        INDArray x = Nd4j.create(train.features(DataMode.BINARY), new long[] {n, 784}, 'c').castTo(DataType.FLOAT);
        int h = 512;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(h).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(h).nOut(h).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(h).nOut(2 * m).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(2 * m).nOut(h).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(h).nOut(h).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(h).nOut(784)
                        .activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<Double> seconds = new ArrayList<>();
        Random rng = new Random(1);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = LocalTrainer.permutation(n, rng);
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += batch) {
                int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + batch));
                INDArray b = Nd4j.pullRows(x, 1, rows, 'c'); // as LocalTrainer: one native gather
                net.fit(new DataSet(b, b));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            seconds.add(s);
            System.err.printf(Locale.ROOT, "epoch %d: %.2f s, %.1f ms/step%n", epoch, s, 1000 * s / Math.ceil(n / (double) batch));
        }
        StringBuilder secs = new StringBuilder();
        for (double s : seconds) {
            secs.append(secs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", s));
        }
        System.out.printf(Locale.ROOT, "{\"implementation\": \"dl4j-stock\", \"arch\": \"mlp\", \"latent_dim\": %d, \"epochs\": %d, "
                + "\"steps_per_epoch\": %d, \"seconds_per_epoch\": [%s]}%n", m, epochs, (n + batch - 1) / batch, secs);
    }
}
