package org.sparkvae.cli;

import org.sparkvae.io.Provenance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.Dataset;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.model.Features;
import org.sparkvae.model.ModelInfo;
import org.sparkvae.model.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.train.Checkpoints;
import org.sparkvae.io.RunLock;
import org.sparkvae.train.EpochMetrics;
import org.sparkvae.train.SparkTrainer;
import org.sparkvae.train.SparkTrainingOptions;
import org.sparkvae.train.Trainer;
import org.sparkvae.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code train}: fits the VAE on the training split and saves it with its provenance and metrics. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the VAE on the training split; save the model (zip), its info (JSON) and per-epoch metrics (CSV).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--epochs", defaultValue = "10", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--model", defaultValue = "model.zip", paramLabel = "FILE",
            description = "Where to save the model, any Hadoop path (default: ${DEFAULT-VALUE}); NAME.json, NAME.metrics.csv "
                    + "and the checkpoints NAME.ckpt/ go beside it.")
    String model;

    @Option(names = "--overwrite", description = "Replace an existing model file (refused otherwise).")
    boolean overwrite;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation, shuffling and noise (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--averaging-frequency", defaultValue = "50",
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
        DataMode mode = modelOptions.dataMode(config);
        TrainingOptions options = new TrainingOptions(epochs, batchSize, seed);
        // Fail before any work when the result would replace the user's files. (The model's directory is
        // created once the inputs are known to be good, so bad input leaves nothing behind.)
        String metricsCsv = metricsPathFor(model);
        String metricsParquet = HadoopFiles.sibling(model, baseName(model) + ".metrics.parquet");
        String curvesPng = HadoopFiles.sibling(model, baseName(model) + ".curves.png");
        List<String> outputs = List.of(model, ModelStore.infoPathFor(model), metricsCsv, metricsParquet, curvesPng);
        if (!overwrite) {
            // --resume continues its own run's files; only the finished model is never replaced.
            HadoopFiles.refuseExisting(resume ? List.of(model) : outputs,
                    "pass --overwrite to replace it, --resume to continue its run, or choose another --model");
        }
        org.sparkvae.train.MetricsFiles metricsFiles = new org.sparkvae.train.MetricsFiles(metricsCsv, metricsParquet,
                curvesPng, config.describe());
        Checkpoints checkpoints = new Checkpoints(checkpointDirFor(model));

        Vae vae;
        int firstEpoch = 1;
        List<Map<String, Object>> history = new ArrayList<>();
        if (resume) {
            ModelStore.Loaded last = checkpoints.latest().orElseThrow(() -> new IllegalStateException(
                    "--resume: no checkpoint in " + checkpoints.dir() + "; start the run without --resume"));
            ModelInfo saved = last.info();
            if (!saved.config().equals(config) || saved.batchSize() != batchSize || saved.seed() != seed) {
                throw new IllegalArgumentException("--resume: the checkpoint in " + checkpoints.dir() + " was trained with "
                        + saved.config() + ", batch " + saved.batchSize() + ", seed " + saved.seed()
                        + "; pass the same model options (--latent-dim, --prior, --likelihood, ...), --batch-size and --seed");
            }
            vae = last.vae();
            history.addAll(saved.epochMetrics());
            firstEpoch = saved.epochs() + 1;
            System.err.printf("resuming from %s: %d epoch(s) done%n", checkpoints.dir(), saved.epochs());
        } else {
            if (!checkpoints.isEmpty() && !overwrite) {
                throw new java.nio.file.FileAlreadyExistsException(checkpoints.dir()
                        + ": holds checkpoints of an earlier run; pass --resume to continue it or --overwrite to start over");
            }
            vae = Vae.create(config, seed);
        }

        MnistFiles files = data.resolve();
        // On Spark, executors read uncompressed training files themselves when they can see them (the idx data
        // source): the driver checks only the headers and lengths here, before anything is written, and an
        // executor computes the checksum. Otherwise (one JVM, gzip — whose truncation only a full read finds —,
        // a local path on other hosts, the Parquet cache) the driver reads and checks everything first.
        String trainImages = files.resolve(MnistFiles.TRAIN_IMAGES);
        String trainLabels = files.resolve(MnistFiles.TRAIN_LABELS);
        boolean executorsRead = !singleJvm && !trainImages.endsWith(".gz") && !trainLabels.endsWith(".gz")
                && spark.executorsReadWithoutCache(files.dir());
        LabelledImages train = executorsRead ? null : files.read28x28(MnistFiles.Split.TRAIN);
        org.sparkvae.data.source.IdxLayout layout = executorsRead
                ? org.sparkvae.data.source.IdxLayout.read(trainImages, trainLabels, new org.apache.hadoop.conf.Configuration())
                : null;
        if (layout != null && (layout.rows() != 28 || layout.cols() != 28 || layout.count() == 0)) {
            throw new org.sparkvae.data.IdxFormatException(trainImages, layout.count() == 0 ? "holds no images"
                    : "images are " + layout.rows() + "x" + layout.cols() + ", spark-vae's models take 28x28");
        }
        // The checksum: known now, or once Spark is up (one executor task).
        String[] md5 = {train == null ? null : train.images().contentMd5()};
        Dataset[] known = {md5[0] == null ? null : Dataset.identify(md5[0])};
        long trainCount = train != null ? train.size() : layout.count();
        Runnable announce = () -> System.err.printf("training on %d %s images from %s (%s), %s, %d epochs, batch %d%n",
                trainCount, mode.cliName(), files.dir(), known[0] == null ? "unrecognised IDX dataset" : known[0].cliName(),
                config.describe(), epochs, batchSize);
        if (md5[0] != null) {
            announce.run();
        }
        // Filled in once Spark is up (master, workers, averaging frequency); stays empty for --single-jvm.
        Map<String, Object> distribution = new LinkedHashMap<>();
        java.util.function.IntFunction<ModelInfo> infoAfter = done -> new ModelInfo(config, mode.cliName(),
                known[0] == null ? null : known[0].cliName(), files.dir(), md5[0], done, batchSize, seed, Provenance.versions(),
                Instant.now().toString(), List.copyOf(history),
                distribution.isEmpty() ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(distribution)));
        Vae trained = vae;
        // The test ELBO after every epoch (one JVM, seeded, so epochs are comparable); not in "seconds".
        INDArray testX = noTestEval ? null : Features.of(files.read28x28(MnistFiles.Split.TEST), mode);
        // The inputs are good: create the model's directory and hold the run's lock (a second run on the same
        // --model is refused at once; the kernel drops the lock if this process dies, so --resume still works).
        HadoopFiles.mkdirs(HadoopFiles.parent(model));
        try (RunLock lock = RunLock.acquire(checkpoints.dir(), "another training run of " + model)) {
            if (!overwrite) { // a run that finished while this one was starting
                HadoopFiles.refuseExisting(List.of(model), "pass --overwrite to replace it or choose another --model");
            }
            // Temporary files of this run's earlier, killed writers (the lock says none is alive).
            for (String output : outputs) {
                HadoopFiles.deleteStaleTemps(output);
            }
            checkpoints.deleteStaleTemps();
            org.sparkvae.evaluate.ElboEvaluator testEvaluator = new org.sparkvae.evaluate.ElboEvaluator(1000, false);
            java.util.function.Consumer<EpochMetrics> onEpoch = (EpochMetrics m) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", m.epoch());
                row.put("train_neg_elbo", m.trainNegElbo());
                if (testX != null) {
                    org.sparkvae.evaluate.ElboReport t = testEvaluator.evaluate(trained, testX, seed, true);
                    row.put("test_neg_elbo", t.negElbo());
                    row.put("test_recon", t.recon());
                    row.put("test_kl", t.kl());
                }
                row.put("seconds", m.seconds());
                row.put("samples_per_second", m.samplesPerSecond());
                history.add(row);
                System.err.printf("epoch %d/%d: train -ELBO %.3f%s, %.1f s (%.0f samples/s)%n",
                        m.epoch(), epochs, m.trainNegElbo(), row.containsKey("test_neg_elbo")
                                ? String.format(java.util.Locale.ROOT, ", test -ELBO %.3f", (Double) row.get("test_neg_elbo")) : "",
                        m.seconds(), m.samplesPerSecond());
                try {
                    // The checkpoint first: metrics never describe an epoch that could not be checkpointed (full disk).
                    checkpoints.save(trained, infoAfter.apply(m.epoch()), m.epoch());
                    metricsFiles.write(history);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            if (!singleJvm) {
                try (org.apache.spark.sql.SparkSession session = spark.session("spark-vae train")) {
                    org.apache.spark.api.java.JavaSparkContext sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(session.sparkContext());
                    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame;
                    if (executorsRead) {
                        md5[0] = org.sparkvae.data.source.IdxChecksum.md5(session, trainImages);
                        known[0] = Dataset.identify(md5[0]);
                        announce.run();
                        frame = org.sparkvae.data.MnistDataFrames.read(session, SparkOptions.absolute(files.dir()), "train", mode, md5[0]);
                    } else {
                        frame = null; // built below, once the worker count is known
                    }
                    int w = workers != null ? workers : SparkTrainingOptions.defaultWorkers(sc);
                    distribution.put("master", session.sparkContext().master());
                    distribution.put("workers", w);
                    distribution.put("averaging_frequency", averagingFrequency);
                    SparkTrainingOptions sparkOptions = new SparkTrainingOptions(epochs, batchSize, averagingFrequency, w, seed);
                    System.err.printf("Spark master %s: %s, batch %d per worker, averaging every %d minibatches%s%n",
                            session.sparkContext().master(), w == 1 ? "1 worker" : w + " workers", batchSize, averagingFrequency,
                            workers == null && sc.isLocal() ? " (one worker on an embedded master; --workers N to average N)" : "");
                    (noProgress ? new SparkTrainer(sparkOptions).quiet() : new SparkTrainer(sparkOptions)).train(sc, vae,
                            frame != null ? frame : spark.frame(session, train, "train", mode, w), firstEpoch, onEpoch);
                }
            } else {
                INDArray x = Features.of(train, mode);
                new Trainer(options, !noProgress).train(vae, x, firstEpoch, onEpoch);
            }
            ModelStore.save(vae, infoAfter.apply(epochs), model);
            // Name only what exists: with --epochs 0 no epoch ran, so no metrics or checkpoints were written.
            System.out.println("saved " + model + " (info " + ModelStore.infoPathFor(model) + (history.isEmpty()
                    ? "; no epochs trained, so no metrics, curves or checkpoints)"
                    : ", metrics " + metricsCsv + " and .parquet, curves " + curvesPng
                    + ", checkpoints " + checkpoints.dir() + ")"));
        }
        return 0;
    }

    /** {@code dir/model.zip} -> {@code dir/model.ckpt/}. */
    static String checkpointDirFor(String model) {
        return HadoopFiles.sibling(model, baseName(model) + ".ckpt");
    }

    static String metricsPathFor(String model) {
        return HadoopFiles.sibling(model, baseName(model) + ".metrics.csv");
    }

    private static String baseName(String model) {
        String name = HadoopFiles.fileName(model);
        return name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    }
}
