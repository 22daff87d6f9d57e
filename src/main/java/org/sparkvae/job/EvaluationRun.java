package org.sparkvae.job;

import org.sparkvae.io.OptionException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.sparkvae.data.DataLocator;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.FrameSource;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.evaluate.IwaeEvaluator;
import org.sparkvae.exec.ExecutionBackend;
import org.sparkvae.exec.TrainingData;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.io.Provenance;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.spark.FrameData;
import org.sparkvae.spark.SparkSetup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * One evaluation of a saved model on the test split, as {@code evaluate} runs it: the mean test -ELBO with its
 * reconstruction and KL terms (one z per image, or z = mu), optionally the IWAE estimate of the NLL, on the
 * executors or in one JVM (an {@link ExecutionBackend}); the result as a typed record, written as JSON when asked.
 */
public final class EvaluationRun {
    /**
     * What to evaluate and how: {@code spark} null for one JVM; {@code iwaeK} null for no IWAE estimate,
     * {@code iwaeImages} null for all test images; {@code out}: where the JSON will go (checked before any work;
     * {@link Result#writeJson} writes it), or null. {@code frames}: rows from any Spark data source to evaluate
     * instead of the IDX test split (its {@code test} rows, else its {@code train} rows; Spark only), or null.
     */
    public record Spec(String model, DataLocator data, int batchSize, long seed, boolean sampling, Integer iwaeK,
                       Integer iwaeImages, boolean progress, SparkSetup spark, String out, boolean overwrite, FrameSource frames) {
        /** Evaluation on the IDX test split. */
        public Spec(String model, DataLocator data, int batchSize, long seed, boolean sampling, Integer iwaeK,
                    Integer iwaeImages, boolean progress, SparkSetup spark, String out, boolean overwrite) {
            this(model, data, batchSize, seed, sampling, iwaeK, iwaeImages, progress, spark, out, overwrite, null);
        }
    }

    /** The JSON {@code evaluate --out} writes; the field names are the metrics files' (and the sweep's). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(@JsonProperty(EpochRecord.TEST_NEG_ELBO) double testNegElbo,
                         @JsonProperty(EpochRecord.TEST_RECON) double testRecon,
                         @JsonProperty(EpochRecord.TEST_KL) double testKl,
                         @JsonProperty("n") long n,
                         @JsonProperty("test_nll_iwae") Double testNllIwae,
                         @JsonProperty("iwae_k") Integer iwaeK,
                         @JsonProperty("iwae_n") Long iwaeN,
                         @JsonProperty("sampling") boolean sampling,
                         @JsonProperty("seed") long seed,
                         @JsonProperty("model") String model,
                         @JsonProperty("data_dir") String dataDir,
                         @JsonProperty("test_images_md5") String testImagesMd5,
                         @JsonProperty("model_config") VaeConfig modelConfig,
                         @JsonProperty("versions") Map<String, String> versions) {
        /** Writes the result as JSON, atomically (the run refused an existing file unless told to overwrite it). */
        /** Writes this as JSON to {@code out}, any Hadoop path (hdfs://, s3a://, local), atomically. */
        public void writeJson(String out) throws IOException {
            HadoopFiles.writeString(out, ModelStore.json().writeValueAsString(this));
        }

        /** {@link #writeJson(String)} to a local file. */
        public void writeJson(Path out) throws IOException {
            writeJson(out.toString());
        }

        /** The lines {@code evaluate} prints. */
        public String summary() {
            return String.format(Locale.ROOT, "test -ELBO %.3f nats (reconstruction %.3f + KL %.3f) over %d images%n",
                    testNegElbo, testRecon, testKl, n) + (testNllIwae == null ? ""
                    : String.format(Locale.ROOT, "test NLL (IWAE, K=%d) %.3f nats over %d images%n", iwaeK, testNllIwae, iwaeN));
        }
    }

    private EvaluationRun() { }

    public static Result run(Spec s) throws IOException {
        new ElboEvaluator(s.batchSize(), false); // the settings' own checks, before any work
        if (s.iwaeK() != null) {
            new IwaeEvaluator(s.iwaeK(), false);
        }
        if (s.iwaeImages() != null && (s.iwaeImages() <= 0 || s.iwaeK() == null)) {
            throw new SettingException("iwaeImages", "{iwaeImages} must be a positive number and needs iwaeK, got " + s.iwaeImages());
        }
        if (s.out() != null && !s.overwrite()) {
            HadoopFiles.refuseExisting(s.out(), "pass {overwrite} to replace it or choose another {out}");
        }
        ModelStore.Loaded loaded = ModelStore.load(s.model());
        if (s.iwaeK() != null && !loaded.vae().supportsImportanceWeights()) {
            throw new OptionException("%s: saved by an older spark-vae whose loss layer does not see z; retrain it for {iwaeK}",
                    s.model());
        }
        DataMode mode = loaded.dataMode();
        FrameSource source = s.frames();
        if (source != null) {
            source.requireSpark(s.spark() != null);
        } else {
            loaded.requireMnistImages(s.model(), "evaluate it on rows of that size with {dataFormat}");
        }
        try (ExecutionBackend backend = ExecutionBackend.of(s.spark(), "spark-vae evaluate", s.progress())) {
            // IDX: on Spark the executors read the test split (the driver checks headers and lengths); in one JVM the
            // driver. Rows from a data source: checked by the executors, D equal to the model's.
            TrainingData test = source == null ? backend.split(s.data().locate(), MnistFiles.Split.TEST, mode)
                    : TrainingData.rows(FrameData.forModel(backend.spark().orElseThrow(), source, mode,
                    loaded.info().imageShape(), loaded.info().config().inputSize()), source.format());
            ElboReport r;
            IwaeEvaluator.Sums iw = null;
            try (ExecutionBackend.Progress bar = backend.progress(s.iwaeK() == null ? "evaluate" : "evaluate + IWAE")) {
                r = backend.elbo(loaded.vae(), test, s.batchSize(), s.seed(), s.sampling());
                if (s.iwaeK() != null) {
                    TrainingData head = s.iwaeImages() == null ? test : test.head(s.iwaeImages());
                    iw = backend.iwae(loaded.vae(), head, s.batchSize(), s.seed(), s.iwaeK());
                }
            }
            return new Result(r.negElbo(), r.recon(), r.kl(), r.n(), iw == null ? null : iw.meanNll(),
                    iw == null ? null : s.iwaeK(), iw == null ? null : iw.n(), s.sampling(), s.seed(), s.model(), test.location(),
                    test.md5(), loaded.info().config(), Provenance.versions());
        }
    }
}
