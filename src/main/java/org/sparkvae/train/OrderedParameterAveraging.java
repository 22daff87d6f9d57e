package org.sparkvae.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;

/**
 * DL4J's parameter averaging with the workers' results added in partition order, so that a seeded run with any
 * number of workers repeats bit for bit.
 *
 * <p>Cause: {@code ParameterAveragingTrainingMaster.processResults} (dl4j-spark 1.0.0-M2) sums the workers' parameters
 * and Adam state with {@code treeAggregate}, whose last level merges partial sums on the driver in the order tasks
 * finish. Float addition is commutative but not associative: two workers always give the same sum, three or more
 * do not (the trust issue's reproducibility row). Here the round's results are cached and counted (the workers train
 * in parallel as before), then handed to DL4J's own aggregation as ONE partition of the cached blocks, which a single
 * task folds in partition order. DL4J's code does the rest unchanged (averaging, score, stats). Pinned by
 * {@code SparkTrainerTest#threeWorkersRepeatBitForBit}.
 */
public final class OrderedParameterAveraging extends ParameterAveragingTrainingMaster {
    public OrderedParameterAveraging(ParameterAveragingTrainingMaster.Builder builder) {
        super(builder);
    }

    @Override
    protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
                                  JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
        if (results.getNumPartitions() <= 2) {
            super.processResults(network, graph, results, splitNum, totalSplits); // two sums in either order are equal
            return;
        }
        JavaRDD<ParameterAveragingTrainingResult> trained = results.cache();
        try {
            trained.count(); // the workers train now, in parallel
            super.processResults(network, graph, trained.coalesce(1, false), splitNum, totalSplits);
        } finally {
            trained.unpersist(false);
        }
    }
}
