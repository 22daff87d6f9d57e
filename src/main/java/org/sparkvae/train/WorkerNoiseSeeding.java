package org.sparkvae.train;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.model.workarounds.Nd4jSeeds;

/**
 * Seeds ND4J's random generator before every minibatch a parameter-averaging worker fits, from
 * (run seed, epoch, round, partition, step within the task) alone.
 *
 * <p><b>Why (DL4J 1.0.0-M2 Spark workers).</b> The reparameterisation noise is drawn by the
 * network's {@code NoiseAppendingPreProcessor} from {@code Nd4j.getRandom()}, which is per thread.
 * A worker runs in whichever Spark task thread it is given and rebuilds its network with
 * {@code MultiLayerNetwork.init(params, false)}, which (unlike {@code init()}) does not seed that
 * generator; {@code TrainingMaster.rngSeed} only seeds the driver's data splits. So every
 * executor thread drew eps from its own unseeded, reused state, and the same seeded run gave other
 * numbers every time ({@code SparkTrainerTest#sameSeedSameParametersBitForBit} fails without this hook).
 * A {@link TrainingHook} runs in the task thread right before each {@code fit}.
 */
final class WorkerNoiseSeeding implements TrainingHook {
    private static final long serialVersionUID = 1L;

    /** Set by the driver before each averaging round; serialised into that round's tasks. */
    private long roundSeed;
    private transient Long taskAttempt; // null in each deserialised copy
    private transient long step;

    void startRound(long epochSeed, int round) {
        roundSeed = mix(epochSeed, round);
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        TaskContext task = TaskContext.get();
        long attempt = task == null ? -1 : task.taskAttemptId();
        if (taskAttempt == null || attempt != taskAttempt) { // a new task (or a retry): its steps count from 0
            taskAttempt = attempt;
            step = 0;
        }
        int partition = task == null ? 0 : task.partitionId();
        Nd4jSeeds.seed(mix(mix(roundSeed, partition), step++));
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) { }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("spark-vae trains MultiLayerNetworks on DataSets");
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) { }

    /** SplitMix64's finaliser over {@code a} and {@code b}: nearby inputs give unrelated seeds. */
    static long mix(long a, long b) {
        return Nd4jSeeds.splitMix(a * 0x9E3779B97F4A7C15L + b);
    }
}
