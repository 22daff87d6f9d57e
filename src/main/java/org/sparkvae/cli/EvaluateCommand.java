package org.sparkvae.cli;

import org.sparkvae.io.Provenance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.evaluate.ElboReport;
import org.sparkvae.io.AtomicFiles;
import org.sparkvae.model.Features;
import org.sparkvae.model.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code evaluate}: mean test -ELBO with its reconstruction and KL terms. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Mean test -ELBO (one z ~ q(z|x) per image) with its reconstruction and KL terms; optionally as JSON.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "model.zip", paramLabel = "FILE", description = "Model to evaluate, any Hadoop path (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the metrics as JSON here (atomically; refused if it exists).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the eps draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-sampling", description = "Evaluate at z = mean of q(z|x) instead of one sample (deterministic).")
    boolean noSampling;

    @Option(names = "--iwae", paramLabel = "K",
            description = "Also estimate the test NLL with the importance-weighted bound, K samples per image (e.g. 100).")
    Integer iwae;

    @Option(names = "--iwae-images", paramLabel = "N",
            description = "IWAE on the first N test images only (default: all); the ELBO always uses all.")
    Integer iwaeImages;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Option(names = "--single-jvm", description = "Run in this JVM without Spark (the reference path: same model, no DataFrames).")
    boolean singleJvm;

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        spark.refuseWith(singleJvm, "--single-jvm");
        ElboEvaluator evaluator = new ElboEvaluator(batchSize, !noProgress);
        org.sparkvae.evaluate.IwaeEvaluator iwaeEvaluator = iwae == null ? null : new org.sparkvae.evaluate.IwaeEvaluator(iwae, !noProgress);
        if (iwaeImages != null && (iwaeImages <= 0 || iwae == null)) {
            throw new IllegalArgumentException("--iwae-images must be a positive number and needs --iwae, got " + iwaeImages);
        }
        if (out != null && !overwrite) {
            AtomicFiles.refuseExisting(out, "pass --overwrite to replace it or choose another --out");
        }
        ModelStore.Loaded loaded = ModelStore.load(model);
        if (iwae != null && !loaded.vae().supportsImportanceWeights()) {
            throw new IllegalArgumentException(model + ": saved by an older spark-vae whose loss layer does not see z; "
                    + "retrain it for --iwae");
        }
        MnistFiles files = data.resolve();
        LabelledImages test = files.read28x28(MnistFiles.Split.TEST);
        DataMode mode = loaded.dataMode();
        LabelledImages iwaeTest = iwaeImages == null || iwaeImages >= test.size() ? test : test.head(iwaeImages);
        ElboReport r;
        org.sparkvae.evaluate.IwaeEvaluator.Sums iw = null;
        if (!singleJvm) {
            try (org.apache.spark.sql.SparkSession session = spark.session("spark-vae evaluate")) {
                org.apache.spark.api.java.JavaSparkContext sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(session.sparkContext());
                org.sparkvae.evaluate.SparkElboEvaluator distributed = new org.sparkvae.evaluate.SparkElboEvaluator(batchSize);
                try (SparkProgress bar = new SparkProgress(session.sparkContext(), iwae == null ? "evaluate" : "evaluate + IWAE", !noProgress)) {
                    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame =
                            spark.frame(session, test, "test", mode, sc.defaultParallelism());
                    r = distributed.evaluate(sc, loaded.vae(), frame, seed, !noSampling);
                    if (iwae != null) {
                        iw = distributed.evaluateIwae(sc, loaded.vae(), iwaeTest == test ? frame
                                : org.sparkvae.data.MnistDataFrames.fromImages(session, iwaeTest, mode, sc.defaultParallelism()),
                                seed, iwae);
                    }
                }
            }
        } else {
            INDArray x = Features.of(test, mode);
            r = evaluator.evaluate(loaded.vae(), x, seed, !noSampling);
            if (iwae != null) {
                INDArray head = iwaeTest == test ? x
                        : x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, iwaeTest.size()), org.nd4j.linalg.indexing.NDArrayIndex.all());
                iw = iwaeEvaluator.sums(loaded.vae(), head, seed);
            }
        }
        System.out.printf(Locale.ROOT, "test -ELBO %.3f nats (reconstruction %.3f + KL %.3f) over %d images%n",
                r.negElbo(), r.recon(), r.kl(), r.n());
        if (iw != null) {
            System.out.printf(Locale.ROOT, "test NLL (IWAE, K=%d) %.3f nats over %d images%n", iwae, iw.meanNll(), iw.n());
        }
        if (out != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("test_neg_elbo", r.negElbo());
            json.put("test_recon", r.recon());
            json.put("test_kl", r.kl());
            json.put("n", r.n());
            if (iw != null) {
                json.put("test_nll_iwae", iw.meanNll());
                json.put("iwae_k", iwae);
                json.put("iwae_n", iw.n());
            }
            json.put("sampling", !noSampling);
            json.put("seed", seed);
            json.put("model", model);
            json.put("data_dir", files.dir());
            json.put("test_images_md5", test.images().contentMd5());
            json.put("model_config", loaded.info().config());
            json.put("versions", Provenance.versions());
            AtomicFiles.write(out, stream -> ModelStore.json().writeValue(stream, json));
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
