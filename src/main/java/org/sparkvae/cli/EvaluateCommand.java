package org.sparkvae.cli;

import org.sparkvae.job.EvaluationRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import org.sparkvae.evaluate.ElboEvaluator;

/** {@code evaluate}: mean test -ELBO with its reconstruction and KL terms. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Mean test -ELBO (one z ~ q(z|x) per image) with its reconstruction and KL terms; optionally as JSON.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "model.zip", paramLabel = "FILE", description = "Model to evaluate, any Hadoop path (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the metrics as JSON here, any Hadoop path (atomically; refused if it exists).")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;

    @Option(names = "--batch-size", defaultValue = "" + ElboEvaluator.DEFAULT_BATCH, description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
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
        EvaluationRun.Result r = EvaluationRun.run(new EvaluationRun.Spec(model, data::resolve, batchSize, seed, !noSampling,
                iwae, iwaeImages, !noProgress, singleJvm ? null : spark.setup(), out, overwrite, data.frames()));
        System.out.print(r.summary());
        if (out != null) {
            r.writeJson(out);
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
