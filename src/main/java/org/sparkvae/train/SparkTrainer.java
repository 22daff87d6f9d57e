package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.model.Vae;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.sparkvae.backend.ExecutorPreflight;
import org.sparkvae.model.workarounds.Nd4jSeeds;

/**
 * Trains a {@link Vae} with DL4J's {@link SparkDl4jMultiLayer} and parameter averaging. The DataFrame's
 * features become one {@code DataSet} per minibatch (labels = features) on the executors, reshuffled
 * within each partition every epoch; the driver reports each round (on a local master: each minibatch) and epoch to
 * its {@link TrainingEvents}.
 */
public final class SparkTrainer {
    private final SparkTrainingOptions options;

    public SparkTrainer(SparkTrainingOptions options) {
        this.options = options;
    }

    public List<EpochRecord> train(JavaSparkContext sc, Vae vae, Dataset<Row> train, Consumer<EpochRecord> afterEpoch) {
        return train(sc, vae, train, 1, afterEpoch);
    }

    /** Trains epochs {@code firstEpoch..epochs}; shuffles are seeded from (seed, epoch) as in {@link LocalTrainer}. */
    public List<EpochRecord> train(JavaSparkContext sc, Vae vae, Dataset<Row> train, int firstEpoch,
                                    Consumer<EpochRecord> afterEpoch) {
        return train(sc, vae, train, firstEpoch, TrainingEvents.to(options.epochs(), afterEpoch));
    }

    /** Trains epochs {@code firstEpoch..epochs}, reporting to {@code events}; returns the trained epochs' records. */
    public List<EpochRecord> train(JavaSparkContext sc, Vae vae, Dataset<Row> train, int firstEpoch, TrainingEvents events) {
        ExecutorPreflight.requireSupportedGpus(sc);
        // Worker p gets the images whose index is p modulo the worker count, in index order. (A plain
        // repartition hands each worker its rows in the order shuffle blocks arrive, which is not fixed,
        // and the seeded shuffle below would then start from a different order on every run.)
        JavaRDD<float[]> rows = train.select(MnistDataFrames.INDEX, MnistDataFrames.FEATURES).javaRDD()
                .mapToPair(r -> new scala.Tuple2<>(r.getLong(0), MnistDataFrames.features(r, 1)))
                .repartitionAndSortWithinPartitions(new org.apache.spark.HashPartitioner(options.workers()))
                .values()
                .persist(StorageLevel.MEMORY_ONLY());
        long n = rows.count();
        int batch = options.batchSizePerWorker();
        // Minibatches per partition: the round count is set by the smallest partition, and the
        // last round takes every partition's remainder, so no worker is ever idle in a round.
        List<Integer> sizes = rows.mapPartitions(it -> {
            int c = 0;
            while (it.hasNext()) {
                it.next();
                c++;
            }
            return List.of(c).iterator();
        }).collect();
        int minBatches = sizes.stream().mapToInt(c -> (c + batch - 1) / batch).min().orElse(0);
        // One worker has nothing to average with: a round per epoch, so the per-round costs (parameter and
        // Adam broadcast, network rebuild, aggregation: ~0.2 s each) are paid once per epoch, not every k batches.
        int k = options.workers() == 1 ? Math.max(1, minBatches) : options.averagingFrequency();
        // Builder(int) takes the number of examples per RDD element, NOT the batch size (that one
        // defaults to 16 and silently re-slices every minibatch): set both.
        ParameterAveragingTrainingMaster.Builder builder = new ParameterAveragingTrainingMaster.Builder(options.batchSizePerWorker())
                .batchSizePerWorker(options.batchSizePerWorker())
                .averagingFrequency(k)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                // Direct: the RDD is used as it is (Export writes every minibatch to disk first, and
                // refuses a non-local master without a shared file system).
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                // DL4J caches each round's minibatches; serialised (its default) costs a Kryo round trip
                // of every minibatch per round, deserialised objects cost nothing.
                .storageLevel(StorageLevel.MEMORY_ONLY())
                .rngSeed(options.seed());
        // DL4J's own master, but adding the workers' results in partition order (OrderedParameterAveraging).
        ParameterAveragingTrainingMaster tm = new OrderedParameterAveraging(builder);
        if (Boolean.getBoolean("sparkvae.trace")) {
            sc.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted e) {
                    org.apache.spark.scheduler.StageInfo i = e.stageInfo();
                    long d = (long) i.completionTime().get() - (long) i.submissionTime().get();
                    System.err.println("TRACE stage " + i.stageId() + " " + d + " ms " + i.name());
                }
            });
        }
        WorkerNoiseSeeding noiseSeeding = new WorkerNoiseSeeding();
        tm.addHook(noiseSeeding);
        MultiLayerNetwork net = vae.network();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
        List<EpochRecord> history = new ArrayList<>();
        int rounds = Math.max(1, (minBatches + k - 1) / k);
        // On a local master the workers share this JVM: count their minibatches so the bar moves inside a
        // round (one worker trains a whole epoch per round) and the epoch loss is the mean over all of them.
        boolean local = sc.isLocal();
        // Tells this training's rounds and counters from another's in the same JVM (a CrossValidator fits in parallel).
        long trainingId = new java.security.SecureRandom().nextLong();
        LocalWorkerProgress.Tally tally = LocalWorkerProgress.tally(trainingId);
        if (local) {
            tm.setListeners(List.of(new LocalWorkerProgress(trainingId)));
        }
        long epochBatches = sizes.stream().mapToLong(c -> (c + batch - 1) / batch).sum();
        try {
            for (int epoch = firstEpoch; epoch <= options.epochs(); epoch++) {
                long shuffleSeed = LocalTrainer.epochSeed(options.seed(), epoch);
                double lossSum = 0;
                long stepsBefore = tally.steps();
                tally.startEpoch();
                events.epochStarted(epoch, local ? epochBatches : rounds);
                try (Follower follower = local ? follow(events, tally, stepsBefore) : () -> { }) {
                    for (int round = 0; round < rounds; round++) {
                        int first = round * k;
                        int last = round == rounds - 1 ? Integer.MAX_VALUE : first + k;
                        // One averaging round per fit call: DL4J then trains the RDD as a single split instead of
                        // randomly splitting (and re-reading) the whole epoch's data once per round.
                        RoundBatches.Round token = new RoundBatches.Round(trainingId, (long) epoch * 1_000_000L + round);
                        JavaRDD<DataSet> roundData = rows.mapPartitionsWithIndex((part, it) -> {
                            RoundBatches.releaseEarlier(token);
                            return RoundBatches.keep(token, minibatches(it, batch, new Random(shuffleSeed * 31 + part), first, last));
                        }, true);
                        noiseSeeding.startRound(shuffleSeed, round);
                        sparkNet.fit(roundData);
                        double loss = NonFiniteLossException.check(sparkNet.getScore(), epoch, round + 1);
                        lossSum += loss;
                        if (local) {
                            events.steps(tally.steps() - stepsBefore, tally.epochMeanLoss());
                        } else {
                            events.steps(round + 1, lossSum / (round + 1));
                        }
                    }
                }
                double workerMean = tally.epochMeanLoss();
                double epochLoss = local && !Double.isNaN(workerMean) ? workerMean : lossSum / rounds;
                history.add(events.epochTrained(epoch, epochLoss, n));
            }
        } finally {
            LocalWorkerProgress.release(trainingId);
            events.stopped();
        }
        rows.unpersist();
        // The trained parameters and Adam state live in sparkNet's network, which is vae's network.
        Nd4jSeeds.seed(options.seed());
        return history;
    }

    /**
     * The minibatch arrays this JVM made for an averaging round, closed when a task of a later round starts here. Each
     * round's minibatches hold a copy of the worker's share of the epoch (60,000 × 784 floats, 188 MB per epoch on one
     * worker) in ND4J's off-heap memory, which ND4J frees only when the garbage collector collects the arrays' Java
     * objects; a 4 GB heap of small objects rarely collects, so a 10-epoch `train` grew to 5.4 GB resident (JobMemoryIT)
     * against 1.75 GB for one epoch. Rounds run one after another (the driver's fit returns before the next round is
     * submitted), so when a task of round r+1 starts, no task of round r is still using its arrays.
     */
    static final class RoundBatches {
        /** One averaging round of one training. */
        record Round(long training, long round) implements java.io.Serializable {
        }

        private static final java.util.Map<Round, List<org.nd4j.linalg.api.ndarray.INDArray>> MADE = new java.util.HashMap<>();

        private RoundBatches() {
        }

        static synchronized Iterator<DataSet> keep(Round token, List<DataSet> all) {
            List<org.nd4j.linalg.api.ndarray.INDArray> arrays = MADE.computeIfAbsent(token, t -> new ArrayList<>());
            for (DataSet d : all) {
                arrays.add(d.getFeatures()); // the labels are the same array
            }
            return all.iterator();
        }

        /** Closes the arrays of the same training's earlier rounds. */
        static synchronized void releaseEarlier(Round token) {
            for (var it = MADE.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().training() == token.training() && !e.getKey().equals(token)) {
                    for (org.nd4j.linalg.api.ndarray.INDArray a : e.getValue()) {
                        if (a.closeable()) {
                            a.close();
                        }
                    }
                    it.remove();
                }
            }
        }

        /** Arrays still held (for tests). */
        static synchronized int held() {
            return MADE.values().stream().mapToInt(List::size).sum();
        }
    }

    /** An {@link AutoCloseable} whose close throws nothing. */
    private interface Follower extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Reports the local workers' minibatch count and mean loss so far every 200 ms until closed. (The loss is read while
     * workers add to it: good enough for a bar; the epoch's loss is read once the round is over.)
     */
    private static Follower follow(TrainingEvents events, LocalWorkerProgress.Tally tally, long stepsBefore) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spark-vae-progress");
            t.setDaemon(true);
            return t;
        });
        Runnable update = () -> events.steps(tally.steps() - stepsBefore, tally.epochMeanLoss());
        timer.scheduleAtFixedRate(update, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdownNow();
            update.run();
        };
    }

    /**
     * Shuffles a partition's examples (the same order for every round of an epoch: same seed) and
     * returns minibatches {@code [firstBatch, lastBatch)} as DataSets of {@code batch} (features = labels).
     */
    static List<DataSet> minibatches(Iterator<float[]> rows, int batch, Random rng, int firstBatch, int lastBatch) {
        List<float[]> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        java.util.Collections.shuffle(all, rng);
        List<DataSet> out = new ArrayList<>();
        long fromExample = (long) firstBatch * batch;
        long toExample = Math.min(all.size(), (long) lastBatch * batch);
        for (int from = (int) fromExample; from < toExample; from += batch) {
            int to = Math.min(all.size(), from + batch);
            int d = all.get(from).length;
            float[] flat = new float[(to - from) * d];
            for (int i = from; i < to; i++) {
                System.arraycopy(all.get(i), 0, flat, (i - from) * d, d);
            }
            org.nd4j.linalg.api.ndarray.INDArray x = Nd4j.create(flat, new long[] {to - from, d}, 'c');
            out.add(new DataSet(x, x));
        }
        return out;
    }
}
