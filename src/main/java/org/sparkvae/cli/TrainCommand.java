package org.sparkvae.cli;

import org.sparkvae.model.VaeConfig;
import org.sparkvae.job.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import org.sparkvae.exec.TrainingSettings;

/** {@code train}: fits the VAE on the training split and saves it with its provenance and metrics. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the VAE on the training split; save the model (zip), its info (JSON) and per-epoch metrics (CSV).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--epochs", defaultValue = "" + TrainingSettings.DEFAULT_EPOCHS, description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "" + TrainingSettings.DEFAULT_BATCH_SIZE, description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--model", defaultValue = "model.zip", paramLabel = "FILE",
            description = "Where to save the model, any Hadoop path (default: ${DEFAULT-VALUE}); NAME.json, NAME.metrics.csv "
                    + "and the checkpoints NAME.ckpt/ go beside it.")
    String model;

    @Option(names = "--overwrite", description = "Replace an existing model file (refused otherwise).")
    boolean overwrite;

    @Option(names = "--seed", defaultValue = "" + TrainingSettings.DEFAULT_SEED, description = "Seed of initialisation, shuffling and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue a killed run from its last checkpoint (NAME.ckpt/, written after every epoch).")
    boolean resume;

    @Option(names = "--no-progress", description = "No progress bar (for logs).")
    boolean noProgress;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Option(names = "--single-jvm", description = "Run in this JVM without Spark (the reference path: same model, no DataFrames).")
    boolean singleJvm;

    @Option(names = "--workers", description = "Spark: workers (partitions) whose models are averaged; default: 1 on an "
            + "embedded local master (averaging N workers needs about N times the epochs for the same ELBO: README), "
            + "Spark's default parallelism on a cluster.")
    Integer workers;

    @Option(names = "--averaging-frequency", defaultValue = "" + TrainingSettings.DEFAULT_AVERAGING_FREQUENCY,
            description = "Spark: minibatches each worker fits between parameter averagings (default: ${DEFAULT-VALUE}).")
    int averagingFrequency;

    @Option(names = "--no-test-eval", description = "Skip the test-set ELBO after each epoch (it is in the metrics and curves).")
    boolean noTestEval;

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        spark.refuseWith(singleJvm, "--single-jvm");
        VaeConfig config = modelOptions.config();
        System.out.println(TrainingRun.run(new TrainingRun.Spec(config, modelOptions.dataMode(config), data::resolve, model,
                epochs, batchSize, seed, overwrite, resume, !noTestEval, !noProgress, singleJvm ? null : spark.setup(), workers,
                averagingFrequency, data.frames())).summary());
        return 0;
    }
}
