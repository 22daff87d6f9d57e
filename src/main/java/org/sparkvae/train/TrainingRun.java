package org.sparkvae.train;

import org.sparkvae.run.EpochMetrics;
import org.sparkvae.run.Topology;
import org.sparkvae.run.EpochRecord;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.DataLocator;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.FrameSource;
import org.sparkvae.data.ImageShape;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.run.ElboReport;
import org.sparkvae.evaluate.SparkElboEvaluator;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.io.Provenance;
import org.sparkvae.io.RunLock;
import org.sparkvae.model.Features;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.spark.FrameData;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.spark.SplitData;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run, as {@code train} runs it: checks that nothing the user has would be replaced, resumes from
 * the last checkpoint when asked, reads and checks the data (on Spark: the executors read uncompressed files
 * they can see), trains (one JVM, or Spark's parameter averaging), evaluates the test ELBO after every epoch,
 * writes a checkpoint and the metrics files after every epoch through its {@link TrainingListener}s, and saves
 * the model with its provenance. The CLI only maps its flags onto a {@link Spec}.
 */
public final class TrainingRun {
    /**
     * What to train and where: the model configuration and data mode, the model's path (its info, metrics, curves
     * and checkpoints go beside it), epochs, batch size, seed, and how: {@code spark} null for one JVM without
     * Spark, else the setup, the workers to average (null: {@link SparkTrainingOptions#defaultWorkers}) and the
     * averaging frequency. {@code frames}: rows from any Spark data source instead of the IDX files {@code data}
     * finds (Spark only; the model then takes their D values per row), or null.
     */
    public record Spec(VaeConfig config, DataMode mode, DataLocator data, String model, int epochs, int batchSize, long seed,
                       boolean overwrite, boolean resume, boolean testEval, boolean progress,
                       SparkSetup spark, Integer workers, int averagingFrequency, FrameSource frames) {
        /** Training on IDX files. */
        public Spec(VaeConfig config, DataMode mode, DataLocator data, String model, int epochs, int batchSize, long seed,
                    boolean overwrite, boolean resume, boolean testEval, boolean progress,
                    SparkSetup spark, Integer workers, int averagingFrequency) {
            this(config, mode, data, model, epochs, batchSize, seed, overwrite, resume, testEval, progress, spark, workers,
                    averagingFrequency, null);
        }
    }

    /** The saved model, its info, and whether metrics files were written (not when no epoch ran). */
    public record Result(String model, ModelInfo info, String metricsCsv, String curvesPng, String checkpoints) {
        /** The line {@code train} prints: what it wrote, naming only what exists. */
        public String summary() {
            return "saved " + model + " (info " + ModelStore.infoPathFor(model) + (info.epochMetrics().isEmpty()
                    ? "; no epochs trained, so no metrics, curves or checkpoints)"
                    : ", metrics " + metricsCsv + " and .parquet, curves " + curvesPng + ", checkpoints " + checkpoints + ")");
        }
    }

    private TrainingRun() { }

    /** {@code dir/model.zip} -> {@code dir/model.ckpt/}. */
    public static String checkpointDirFor(String model) {
        return HadoopFiles.sibling(model, baseName(model) + ".ckpt");
    }

    public static String metricsPathFor(String model) {
        return HadoopFiles.sibling(model, baseName(model) + ".metrics.csv");
    }

    private static String baseName(String model) {
        String name = HadoopFiles.fileName(model);
        return name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    }

    public static Result run(Spec s) throws Exception {
        DataMode mode = s.mode();
        String model = s.model();
        // Fail before any work when the result would replace the user's files. (The model's directory is
        // created once the inputs are known to be good, so bad input leaves nothing behind.)
        String metricsCsv = metricsPathFor(model);
        String metricsParquet = HadoopFiles.sibling(model, baseName(model) + ".metrics.parquet");
        String curvesPng = HadoopFiles.sibling(model, baseName(model) + ".curves.png");
        List<String> outputs = List.of(model, ModelStore.infoPathFor(model), metricsCsv, metricsParquet, curvesPng);
        if (!s.overwrite()) {
            // --resume continues its own run's files; only the finished model is never replaced.
            HadoopFiles.refuseExisting(s.resume() ? List.of(model) : outputs,
                    "pass `overwrite` to replace it, `resume` to continue its run, or choose another `model`");
        }
        // Rows from a Spark data source: Spark starts now, and one pass of the executors checks them and gives D.
        FrameSource source = s.frames();
        SparkSession early = null;
        FrameData frameTrain = null;
        FrameData frameTest = null;
        if (source != null) {
            source.requireSpark(s.spark() != null);
            early = s.spark().session("spark-vae train");
            try {
                // D declared by the column's metadata: the model's size is checked before the data pass (and again after).
                java.util.function.IntConsumer sizeCheck = s.resume() ? d -> { }
                        : d -> org.sparkvae.model.ModelSize.of(s.config().withInputSize(d), s.batchSize()).check();
                frameTrain = FrameData.load(early, source.train(), source.format(), mode, source.shape(), null, sizeCheck);
                frameTest = source.test() == null ? null
                        : FrameData.load(early, source.test(), source.format(), mode, frameTrain.shape(), frameTrain.inputSize());
                if (s.config().arch() == org.sparkvae.model.Architecture.CNN && frameTrain.shape() != null
                        && !frameTrain.shape().equals(ImageShape.MNIST)) {
                    throw new org.sparkvae.model.SettingException("arch", "arch cnn needs 28x28 images, got " + frameTrain.shape());
                }
            } catch (RuntimeException e) {
                early.close();
                throw e;
            }
        }
        VaeConfig config = frameTrain == null ? s.config() : s.config().withInputSize(frameTrain.inputSize());
        ImageShape shape = frameTrain == null ? ImageShape.MNIST : frameTrain.shape();
        MetricsFiles metricsFiles = new MetricsFiles(metricsCsv, metricsParquet, curvesPng, config.describe());
        if (!s.resume()) {
            // D is known now (from the data pass for a Spark source): refuse a model too large to build before the
            // checkpoint directory or any output exists.
            try {
                org.sparkvae.model.ModelSize.of(config, s.batchSize()).check();
            } catch (RuntimeException e) {
                if (early != null) {
                    early.close();
                }
                throw e;
            }
        }
        Checkpoints checkpoints = new Checkpoints(checkpointDirFor(model));
        try (SparkSession sourceSession = early) { // closed on every path out (null: nothing to close)
            return train(s, config, shape, new Outputs(model, outputs, metricsCsv, curvesPng, metricsFiles, checkpoints),
                    new Frames(sourceSession, frameTrain, frameTest));
        }
    }

    /** Where one run writes: the model, every file it may replace, its metrics files and its checkpoints. */
    private record Outputs(String model, List<String> all, String metricsCsv, String curvesPng, MetricsFiles metricsFiles,
                           Checkpoints checkpoints) {
    }

    /** Rows from a Spark data source, checked by the first data pass, and its session; all null for IDX data. */
    private record Frames(SparkSession session, FrameData train, FrameData test) {
    }

    private static Result train(Spec s, VaeConfig config, ImageShape shape, Outputs out, Frames frames) throws Exception {
        DataMode mode = s.mode();
        String model = out.model();
        List<String> outputs = out.all();
        String metricsCsv = out.metricsCsv();
        String curvesPng = out.curvesPng();
        MetricsFiles metricsFiles = out.metricsFiles();
        Checkpoints checkpoints = out.checkpoints();
        SparkSession sourceSession = frames.session();
        FrameData frameTrain = frames.train();
        FrameData frameTest = frames.test();
        Vae vae;
        int firstEpoch = 1;
        List<EpochRecord> history = new ArrayList<>();
        if (s.resume()) {
            ModelStore.Loaded last = checkpoints.latest().orElseThrow(() -> new IllegalStateException(
                    "`resume`: no checkpoint in " + checkpoints.dir() + "; start the run without `resume`"));
            ModelInfo saved = last.info();
            if (!saved.config().equals(config) || saved.batchSize() != s.batchSize() || saved.seed() != s.seed()) {
                throw new IllegalArgumentException("`resume`: the checkpoint in " + checkpoints.dir() + " was trained with "
                        + saved.config() + ", batch " + saved.batchSize() + ", seed " + saved.seed()
                        + "; pass the same model settings (`latentDim`, `prior`, `likelihood`, ...), `batchSize` and `seed`");
            }
            vae = last.vae();
            history.addAll(saved.epochMetrics());
            firstEpoch = saved.epochs() + 1;
            System.err.printf("resuming from %s: %d epoch(s) done%n", checkpoints.dir(), saved.epochs());
        } else {
            if (!checkpoints.isEmpty() && !s.overwrite()) {
                throw new FileAlreadyExistsException(checkpoints.dir()
                        + ": holds checkpoints of an earlier run; pass `resume` to continue it or `overwrite` to start over");
            }
            vae = Vae.create(config, s.seed());
        }

        MnistFiles files = frameTrain != null ? null : s.data().locate();
        SplitData data = files == null ? null : SplitData.check(files, MnistFiles.Split.TRAIN, mode, s.spark());
        // The held-out split for the per-epoch test ELBO: on Spark evaluated by the executors like `evaluate`.
        SplitData test = files != null && s.testEval() ? SplitData.check(files, MnistFiles.Split.TEST, mode, s.spark()) : null;
        String dataDir = files != null ? files.dir() : frameTrain.path();
        Runnable announce = () -> System.err.printf("training on %d %s images from %s (%s), %s, %d epochs, batch %d%n",
                data != null ? data.count() : frameTrain.count(), mode.cliName(), dataDir,
                data != null ? data.datasetName() : s.frames().format() + ", " + frameTrain.inputSize() + " values per row"
                        + (shape == null ? "" : " (" + shape + ")"), config.describe(), s.epochs(), s.batchSize());
        if (data == null || data.md5() != null) {
            announce.run();
        }
        if (frameTrain != null && frameTest == null && s.testEval()) {
            System.err.println("no held-out rows given: no per-epoch test ELBO");
        }
        Topology[] distribution = {null}; // known once Spark is up; stays null in one JVM
        java.util.function.IntFunction<ModelInfo> infoAfter = done -> new ModelInfo(config, mode.cliName(),
                data == null ? null : data.datasetCliName(), dataDir, data == null ? null : data.md5(), done, s.batchSize(), s.seed(),
                Provenance.versions(), Instant.now().toString(), List.copyOf(history), distribution[0], shape);
        // The inputs are good: create the model's directory and hold the run's lock (a second run on the same
        // --model is refused at once; the kernel drops the lock if this process dies, so --resume still works).
        HadoopFiles.mkdirs(HadoopFiles.parent(model));
        try (RunLock lock = RunLock.acquire(checkpoints.dir(), "another training run of " + model)) {
            if (!s.overwrite()) { // a run that finished while this one was starting
                HadoopFiles.refuseExisting(List.of(model), "pass `overwrite` to replace it or choose another `model`");
            }
            // Temporary files of this run's earlier, killed writers (the lock says none is alive).
            for (String output : outputs) {
                HadoopFiles.deleteStaleTemps(output);
            }
            checkpoints.deleteStaleTemps();
            // In order: the line on the console, the checkpoint, then the metrics (never ahead of a checkpoint).
            List<TrainingListener> listeners = List.of(TrainingListener.console(s.epochs()),
                    (e, h) -> checkpoints.save(vae, infoAfter.apply(e.epoch()), e.epoch()),
                    (e, h) -> metricsFiles.write(h));
            // The test ELBO after every epoch (seeded, so epochs are comparable); not in "seconds". Set once the
            // data is loaded: in one JVM on the driver's matrix, on Spark by the executors.
            java.util.concurrent.atomic.AtomicReference<java.util.function.Function<Vae, ElboReport>> testElbo =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.function.Consumer<EpochMetrics> onEpoch = m -> {
                EpochRecord e = EpochRecord.of(m);
                if (testElbo.get() != null) {
                    e = e.withTest(testElbo.get().apply(vae));
                }
                history.add(e);
                try {
                    for (TrainingListener l : listeners) {
                        l.onEpoch(e, List.copyOf(history));
                    }
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            };
            if (s.spark() != null) {
                try (SparkSession session = sourceSession != null ? sourceSession : s.spark().session("spark-vae train")) {
                    JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
                    int w = s.workers() != null ? s.workers() : SparkTrainingOptions.defaultWorkers(sc);
                    // Executors read in the source's own ranges (the trainer repartitions by index for its workers);
                    // driver-read images are shipped in one chunk per worker.
                    Dataset<Row> frame = data == null ? frameTrain.frame() : data.frame(session, data.executorsRead() ? 0 : w);
                    if (data != null && data.executorsRead()) {
                        announce.run(); // the checksum, and so the dataset's name, is known now
                    }
                    if (test != null || frameTest != null) {
                        Dataset<Row> testFrame = frameTest != null ? frameTest.frame() : test.frame(session, sc.defaultParallelism());
                        SparkElboEvaluator evaluator = new SparkElboEvaluator(org.sparkvae.evaluate.ElboEvaluator.DEFAULT_BATCH);
                        testElbo.set(v -> evaluator.evaluate(sc, v, testFrame, s.seed(), true));
                    }
                    distribution[0] = new Topology(session.sparkContext().master(), w, s.averagingFrequency());
                    SparkTrainingOptions options = new SparkTrainingOptions(s.epochs(), s.batchSize(), s.averagingFrequency(), w, s.seed());
                    System.err.printf("Spark master %s: %s, batch %d per worker, averaging every %d minibatches%s%n",
                            session.sparkContext().master(), w == 1 ? "1 worker" : w + " workers", s.batchSize(), s.averagingFrequency(),
                            s.workers() == null && sc.isLocal() ? " (one worker on an embedded master; --workers N to average N)" : "");
                    VaeTrainer.spark(options, sc, frame, s.progress()).train(vae, firstEpoch, onEpoch);
                }
            } else {
                if (test != null) {
                    INDArray testX = Features.of(test.driverImages(), mode);
                    ElboEvaluator evaluator = new ElboEvaluator(org.sparkvae.evaluate.ElboEvaluator.DEFAULT_BATCH, false);
                    testElbo.set(v -> evaluator.evaluate(v, testX, s.seed(), true));
                }
                VaeTrainer.singleJvm(new TrainingOptions(s.epochs(), s.batchSize(), s.seed()), Features.of(data.driverImages(), mode),
                        s.progress()).train(vae, firstEpoch, onEpoch);
            }
            ModelInfo info = infoAfter.apply(s.epochs());
            ModelStore.save(vae, info, model);
            return new Result(model, info, metricsCsv, curvesPng, checkpoints.dir());
        }
    }
}
