package org.sparkvae.job;

import org.sparkvae.data.DataLocator;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.FrameSource;
import org.sparkvae.data.ImageShape;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.evaluate.ElboEvaluator;
import org.sparkvae.exec.ExecutionBackend;
import org.sparkvae.exec.ModelProvenance;
import org.sparkvae.exec.TrainingData;
import org.sparkvae.exec.TrainingSettings;
import org.sparkvae.io.HadoopFiles;
import org.sparkvae.io.OptionException;
import org.sparkvae.io.OutputExistsException;
import org.sparkvae.io.RunLock;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.ModelSize;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.run.Topology;
import org.sparkvae.spark.FrameData;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.train.Checkpoints;
import org.sparkvae.train.MetricsFiles;
import org.sparkvae.train.SparkTrainingOptions;
import org.sparkvae.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One training run, as {@code train} runs it: checks that nothing the user has would be replaced, resumes from
 * the last checkpoint when asked, reads and checks the data (on Spark: the executors read uncompressed files
 * they can see), trains (one JVM, or Spark's parameter averaging), evaluates the test ELBO after every epoch,
 * writes a checkpoint and the metrics files after every epoch through its {@link TrainingListener}s, and saves
 * the model with its provenance. A short sequence over an {@link ExecutionBackend}, which decides where each step
 * runs; the CLI only maps its flags onto a {@link Spec}.
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
        String model = s.model();
        Outputs out = Outputs.of(model);
        // Fail before any work when the result would replace the user's files. (The model's directory is
        // created once the inputs are known to be good, so bad input leaves nothing behind.)
        if (!s.overwrite()) {
            // --resume continues its own run's files; only the finished model is never replaced.
            HadoopFiles.refuseExisting(s.resume() ? List.of(model) : out.all(),
                    "pass {overwrite} to replace it, {resume} to continue its run, or choose another {model}");
        }
        TrainingSettings settings = new TrainingSettings(s.epochs(), s.batchSize(), s.seed(), s.workers(), s.averagingFrequency());
        try (ExecutionBackend backend = ExecutionBackend.of(s.spark(), "spark-vae train", s.progress())) {
            // Rows from a Spark data source: Spark starts now, and one pass of the executors checks them and gives D.
            Inputs frames = s.frames() == null ? null : frames(s, backend);
            VaeConfig config = frames == null ? s.config() : s.config().withInputSize(frames.train().inputSize());
            if (!s.resume()) {
                // D is known now (from the data pass for a Spark source): refuse a model too large to build before the
                // checkpoint directory or any output exists.
                ModelSize.of(config, s.batchSize()).check();
            }
            Checkpoints checkpoints = new Checkpoints(checkpointDirFor(model));
            List<EpochRecord> history = new ArrayList<>();
            ModelStore.Loaded last = s.resume() ? resumed(s, config, checkpoints) : null;
            Vae vae = last != null ? last.vae() : fresh(s, config, checkpoints);
            int firstEpoch = last != null ? last.info().epochs() + 1 : 1;
            if (last != null) {
                history.addAll(last.info().epochMetrics());
            }
            Inputs in = frames != null ? frames : idx(s, backend);
            TrainingData train = in.train();
            // The inputs are good: create the model's directory and hold the run's lock (a second run on the same
            // --model is refused at once; the kernel drops the lock if this process dies, so --resume still works).
            HadoopFiles.mkdirs(HadoopFiles.parent(model));
            try (RunLock lock = RunLock.acquire(checkpoints.dir(), "another training run of " + model)) {
                if (!s.overwrite()) { // a run that finished while this one was starting
                    HadoopFiles.refuseExisting(List.of(model), "pass {overwrite} to replace it or choose another {model}");
                }
                // Temporary files of this run's earlier, killed writers (the lock says none is alive).
                for (String output : out.all()) {
                    HadoopFiles.deleteStaleTemps(output);
                }
                checkpoints.deleteStaleTemps();
                System.err.printf("training on %d %s images from %s (%s), %s, %d epochs, batch %d%n", train.count(),
                        s.mode().cliName(), train.location(), train.description(), config.describe(), s.epochs(), s.batchSize());
                if (frames != null && in.test() == null && s.testEval()) {
                    System.err.println("no held-out rows given: no per-epoch test ELBO");
                }
                Topology topology = backend.topology(settings);
                String spread = backend.describe(settings);
                if (spread != null) {
                    System.err.println(spread);
                }
                MetricsFiles metricsFiles = new MetricsFiles(out.metricsCsv(), out.metricsParquet(), out.curvesPng(), config.describe());
                // In order: the line on the console, the checkpoint, then the metrics (never ahead of a checkpoint).
                List<TrainingListener> listeners = List.of(TrainingListener.console(s.epochs()),
                        checkpoints.listener(vae, (epochs, h) -> ModelProvenance.of(config, train, settings, epochs, h, topology)),
                        metricsFiles);
                // The test ELBO after every epoch (seeded, so epochs are comparable); not in "seconds".
                ExecutionBackend.HeldOut heldOut = in.test() == null ? null
                        : new ExecutionBackend.HeldOut(in.test(), ElboEvaluator.DEFAULT_BATCH);
                backend.fit(vae, train, heldOut, settings, firstEpoch, history, listeners);
                ModelInfo info = ModelProvenance.of(config, train, settings, s.epochs(), history, topology);
                ModelStore.save(vae, info, model);
                return new Result(model, info, out.metricsCsv(), out.curvesPng(), checkpoints.dir());
            }
        }
    }

    /** Where one run writes: the model, its info and metrics files (every file it may replace). */
    private record Outputs(String model, String metricsCsv, String metricsParquet, String curvesPng) {
        static Outputs of(String model) {
            return new Outputs(model, metricsPathFor(model), HadoopFiles.sibling(model, baseName(model) + ".metrics.parquet"),
                    HadoopFiles.sibling(model, baseName(model) + ".curves.png"));
        }

        List<String> all() {
            return List.of(model, ModelStore.infoPathFor(model), metricsCsv, metricsParquet, curvesPng);
        }
    }

    /** The images to train on and the held-out ones for the per-epoch test ELBO (null: none). */
    private record Inputs(TrainingData train, TrainingData test) {
    }

    /** Rows from a Spark data source, read and checked by the executors (the model's size checked before, when D is declared). */
    private static Inputs frames(Spec s, ExecutionBackend backend) {
        FrameSource source = s.frames();
        source.requireSpark(s.spark() != null);
        var session = backend.spark().orElseThrow();
        IntConsumer sizeCheck = s.resume() ? d -> { } : d -> ModelSize.of(s.config().withInputSize(d), s.batchSize()).check();
        FrameData train = FrameData.load(session, source.train(), source.format(), s.mode(), source.shape(), null, sizeCheck);
        FrameData test = source.test() == null || !s.testEval() ? null
                : FrameData.load(session, source.test(), source.format(), s.mode(), train.shape(), train.inputSize());
        if (s.config().arch() == Architecture.CNN && train.shape() != null && !train.shape().equals(ImageShape.MNIST)) {
            throw new SettingException("arch", "{arch} cnn needs 28x28 images, got " + train.shape());
        }
        return new Inputs(TrainingData.rows(train, source.format()), test == null ? null : TrainingData.rows(test, source.format()));
    }

    /** The IDX splits the data options find: train, and test when the per-epoch test ELBO is asked for. */
    private static Inputs idx(Spec s, ExecutionBackend backend) throws java.io.IOException {
        MnistFiles files = s.data().locate();
        return new Inputs(backend.split(files, MnistFiles.Split.TRAIN, s.mode()),
                s.testEval() ? backend.split(files, MnistFiles.Split.TEST, s.mode()) : null);
    }

    /** The last checkpoint's network and epochs, refused unless it was trained with the same settings. */
    private static ModelStore.Loaded resumed(Spec s, VaeConfig config, Checkpoints checkpoints) throws Exception {
        ModelStore.Loaded last = checkpoints.latest().orElseThrow(() -> new OptionException(
                "{resume}: no checkpoint in %s; start the run without {resume}", checkpoints.dir()));
        ModelInfo saved = last.info();
        if (!saved.config().equals(config) || saved.batchSize() != s.batchSize() || saved.seed() != s.seed()) {
            throw new OptionException("{resume}: the checkpoint in %s was trained with %s, batch %d, seed %d; pass the same "
                    + "model settings ({latentDim}, {prior}, {likelihood}, ...), {batchSize} and {seed}",
                    checkpoints.dir(), saved.config(), saved.batchSize(), saved.seed());
        }
        System.err.printf("resuming from %s: %d epoch(s) done%n", checkpoints.dir(), saved.epochs());
        return last;
    }

    /** A new network, unless earlier checkpoints of the same model would be mixed with this run's. */
    private static Vae fresh(Spec s, VaeConfig config, Checkpoints checkpoints) throws Exception {
        if (!checkpoints.isEmpty() && !s.overwrite()) {
            throw new OutputExistsException(checkpoints.dir(),
                    ": holds checkpoints of an earlier run; pass {resume} to continue it or {overwrite} to start over");
        }
        return Vae.create(config, s.seed());
    }
}
