package org.sparkvae.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataLocator;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.io.AtomicFiles;
import org.sparkvae.io.Provenance;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.ppca.PpcaModel;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.spark.SplitData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.sparkvae.model.SettingException;

/**
 * The {@code ppca} baseline as a run: probabilistic PCA fitted in closed form on continuous training pixels
 * (distributed covariance on Spark MLlib) and its exact test log-likelihood, as a typed result that is also
 * the {@code --out} JSON.
 */
public final class PpcaRun {
    /** Latent dimension q, the data, Spark's setup, and where the JSON will go (checked before any work), or null. */
    public record Spec(int latentDim, DataLocator data, SparkSetup spark, Path out, boolean overwrite) { }

    public record Result(@JsonProperty("model") String model, @JsonProperty("latent_dim") int latentDim,
                         @JsonProperty("test_log_likelihood") double testLogLikelihood, @JsonProperty("test_nll") double testNll,
                         @JsonProperty("n") long n, @JsonProperty("noise_variance") double noiseVariance,
                         @JsonProperty("top_eigenvalues") double[] topEigenvalues, @JsonProperty("data_mode") String dataMode,
                         @JsonProperty("data_dir") String dataDir, @JsonProperty("train_images_md5") String trainImagesMd5,
                         @JsonProperty("seconds") double seconds, @JsonProperty("versions") Map<String, String> versions) {
        /** The line {@code ppca} prints. */
        public String summary() {
            return String.format(Locale.ROOT, "PPCA q=%d on continuous pixels: noise variance %.5f, test log-likelihood %.3f nats "
                    + "(-log p(x) = %.3f) over %d images, %.1f s", latentDim, noiseVariance, testLogLikelihood, testNll, n, seconds);
        }

        public void writeJson(Path out) throws IOException {
            AtomicFiles.write(out, stream -> ModelStore.json().writeValue(stream, this));
        }
    }

    private PpcaRun() { }

    public static Result run(Spec s) throws IOException {
        if (s.latentDim() < 1 || s.latentDim() >= 784) {
            throw new SettingException("latentDim", "{latentDim} must be in 1..783 for PPCA, got " + s.latentDim());
        }
        if (s.out() != null && !s.overwrite()) {
            AtomicFiles.refuseExisting(s.out(), "pass {overwrite} to replace it or choose another {out}");
        }
        MnistFiles files = s.data().locate();
        // The executors read both splits where they can (the driver checks headers and lengths).
        SplitData train = SplitData.check(files, MnistFiles.Split.TRAIN, DataMode.CONTINUOUS, s.spark());
        SplitData test = SplitData.check(files, MnistFiles.Split.TEST, DataMode.CONTINUOUS, s.spark());
        long started = System.nanoTime();
        PpcaModel model;
        double[] ll;
        try (SparkSession session = s.spark().session("spark-vae ppca")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            int parts = sc.defaultParallelism();
            model = SparkPpca.fit(train.frame(session, parts), s.latentDim());
            ll = SparkPpca.meanLogLikelihood(sc, model, test.frame(session, parts));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result("ppca", s.latentDim(), ll[0], -ll[0], (long) ll[1], model.noiseVariance(), model.eigenvalues(),
                DataMode.CONTINUOUS.cliName(), files.dir(), train.md5(), seconds, Provenance.versions());
    }
}
