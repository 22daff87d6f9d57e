package org.sparkvae.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.sparkvae.evaluate.ElboEvaluator;

import java.io.Serializable;

/**
 * The Params {@link VaeEstimator} and {@link VaeModel} share, as MLlib's {@code PCAParams} trait is shared by
 * {@code PCA} and {@code PCAModel}: declared with their defaults once ({@link Shared}), read through these default
 * accessors and getters (Spark finds Params through public no-argument methods, default methods included). Each
 * stage keeps only its setters, which return its own type.
 */
public interface VaeSharedParams extends Params {
    /** This stage's instances of the shared Params. */
    Shared shared();

    default Param<String> featuresCol() { return shared().featuresCol; }
    default Param<String> muCol() { return shared().muCol; }
    default Param<String> sampleCol() { return shared().sampleCol; }
    default Param<String> negElboCol() { return shared().negElboCol; }
    default Param<String> reconCol() { return shared().reconCol; }
    default Param<String> klCol() { return shared().klCol; }
    default BooleanParam sampling() { return shared().sampling; }
    default LongParam seed() { return shared().seed; }
    default IntParam scoringBatchSize() { return shared().scoringBatchSize; }

    default String getFeaturesCol() { return getOrDefault(featuresCol()); }
    default String getMuCol() { return getOrDefault(muCol()); }
    default String getSampleCol() { return getOrDefault(sampleCol()); }
    default String getNegElboCol() { return getOrDefault(negElboCol()); }
    default String getReconCol() { return getOrDefault(reconCol()); }
    default String getKlCol() { return getOrDefault(klCol()); }
    default boolean getSampling() { return (Boolean) getOrDefault(sampling()); }
    default long getSeed() { return (Long) getOrDefault(seed()); }
    default int getScoringBatchSize() { return (Integer) getOrDefault(scoringBatchSize()); }

    /** The shared Params of one stage, created with {@code owner} as their parent and given their defaults. */
    final class Shared implements Serializable {
        final Param<String> featuresCol;
        final Param<String> muCol;
        final Param<String> sampleCol;
        final Param<String> negElboCol;
        final Param<String> reconCol;
        final Param<String> klCol;
        final BooleanParam sampling;
        final LongParam seed;
        final IntParam scoringBatchSize;

        Shared(Params owner) {
            featuresCol = VaeParamDefs.featuresCol(owner);
            muCol = VaeParamDefs.muCol(owner);
            sampleCol = VaeParamDefs.sampleCol(owner);
            negElboCol = VaeParamDefs.negElboCol(owner);
            reconCol = VaeParamDefs.reconCol(owner);
            klCol = VaeParamDefs.klCol(owner);
            sampling = VaeParamDefs.sampling(owner);
            seed = VaeParamDefs.seed(owner);
            scoringBatchSize = VaeParamDefs.scoringBatchSize(owner);
            owner.setDefault(featuresCol, VaeParamDefs.DEFAULT_FEATURES);
            owner.setDefault(muCol, VaeParamDefs.DEFAULT_MU);
            owner.setDefault(sampleCol, VaeParamDefs.DEFAULT_SAMPLE);
            owner.setDefault(negElboCol, VaeParamDefs.DEFAULT_NEG_ELBO);
            owner.setDefault(reconCol, VaeParamDefs.DEFAULT_RECON);
            owner.setDefault(klCol, VaeParamDefs.DEFAULT_KL);
            owner.setDefault(sampling, true);
            owner.setDefault(seed, VaeParamDefs.DEFAULT_SEED);
            owner.setDefault(scoringBatchSize, ElboEvaluator.DEFAULT_BATCH);
        }
    }
}
