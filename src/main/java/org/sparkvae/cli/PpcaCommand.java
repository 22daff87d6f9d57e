package org.sparkvae.cli;

import org.sparkvae.io.Provenance;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.io.AtomicFiles;
import org.sparkvae.model.ModelStore;
import org.sparkvae.model.PpcaModel;
import org.sparkvae.train.SparkPpca;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ppca}: the closed-form probabilistic-PCA baseline with its exact test log-likelihood. */
@Command(name = "ppca", mixinStandardHelpOptions = true,
        description = "Fit probabilistic PCA in closed form (distributed covariance on Spark MLlib) on continuous pixels "
                + "and report the exact test log-likelihood: the baseline a Gaussian VAE must beat.")
final class PpcaCommand implements Callable<Integer> {
    @Option(names = "--latent-dim", defaultValue = "10", description = "Latent dimension q (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the metrics as JSON here (atomically; refused if it exists).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        if (latentDim < 1 || latentDim >= 784) {
            throw new IllegalArgumentException("--latent-dim must be in 1..783 for PPCA, got " + latentDim);
        }
        if (out != null && !overwrite) {
            AtomicFiles.refuseExisting(out, "pass --overwrite to replace it or choose another --out");
        }
        MnistFiles files = data.resolve();
        LabelledImages train = files.read28x28(MnistFiles.Split.TRAIN);
        LabelledImages test = files.read28x28(MnistFiles.Split.TEST);
        long started = System.nanoTime();
        PpcaModel model;
        double[] ll;
        try (SparkSession session = spark.session("spark-vae ppca")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            int parts = sc.defaultParallelism();
            model = SparkPpca.fit(spark.frame(session, train, "train", DataMode.CONTINUOUS, parts), latentDim);
            ll = SparkPpca.meanLogLikelihood(sc, model, spark.frame(session, test, "test", DataMode.CONTINUOUS, parts));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "PPCA q=%d on continuous pixels: noise variance %.5f, test log-likelihood %.3f nats "
                + "(-log p(x) = %.3f) over %d images, %.1f s%n", latentDim, model.noiseVariance(), ll[0], -ll[0], (long) ll[1], seconds);
        if (out != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", "ppca");
            json.put("latent_dim", latentDim);
            json.put("test_log_likelihood", ll[0]);
            json.put("test_nll", -ll[0]);
            json.put("n", (long) ll[1]);
            json.put("noise_variance", model.noiseVariance());
            json.put("top_eigenvalues", model.eigenvalues());
            json.put("data_mode", DataMode.CONTINUOUS.cliName());
            json.put("data_dir", files.dir());
            json.put("train_images_md5", train.images().contentMd5());
            json.put("seconds", seconds);
            json.put("versions", Provenance.versions());
            AtomicFiles.write(out, stream -> ModelStore.json().writeValue(stream, json));
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
