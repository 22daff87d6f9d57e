package org.sparkvae.ml;

import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.VaeConfig;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stages' Params: found by Spark, validated with Spark's messages, mapped onto the model configuration. */
class VaeParamsTest {
    private static void rejects(String param, Object value, Runnable set) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, set::run);
        assertTrue(e.getMessage().contains("parameter " + param + " given invalid value " + value), e.getMessage());
    }

    @Test
    void badValuesGetSparksMessage() {
        VaeEstimator est = new VaeEstimator();
        rejects("latentDim", 0, () -> est.setLatentDim(0));
        rejects("prior", "student", () -> est.setPrior("student"));
        rejects("likelihood", "poisson", () -> est.setLikelihood("poisson"));
        rejects("variance", "-1", () -> est.setVariance("-1"));
        rejects("variance", "much", () -> est.setVariance("much"));
        rejects("arch", "rnn", () -> est.setArch("rnn"));
        rejects("levels", 3, () -> est.setLevels(3));
        rejects("numComponents", 0, () -> est.setNumComponents(0));
        rejects("maxIter", -1, () -> est.setMaxIter(-1));
        rejects("batchSize", 0, () -> est.setBatchSize(0));
        rejects("scoringBatchSize", 0, () -> est.setScoringBatchSize(0));
        rejects("stepSize", -0.1, () -> est.setStepSize(-0.1));
        rejects("numWorkers", 0, () -> est.setNumWorkers(0));
        rejects("averagingFrequency", 0, () -> est.setAveragingFrequency(0));
        rejects("featuresCol", "", () -> est.setFeaturesCol(""));
        rejects("validationIndicatorCol", "", () -> est.setValidationIndicatorCol(""));
        rejects("metricName", "auc", () -> new VaeEvaluator().setMetricName("auc"));
    }

    @Test
    void sparkFindsEveryParamAndTheDefaultsAreTheClis() {
        VaeEstimator est = new VaeEstimator();
        Set<String> names = Arrays.stream(est.params()).map(Param::name).collect(Collectors.toSet());
        assertEquals(Set.of("featuresCol", "muCol", "sampleCol", "negElboCol", "reconCol", "klCol", "sampling", "seed",
                "batchSize", "scoringBatchSize", "latentDim", "prior", "numComponents", "likelihood", "variance", "arch", "levels", "maxIter",
                "stepSize", "numWorkers", "averagingFrequency", "validationIndicatorCol"), names);
        assertEquals(VaeConfig.mnist(10), est.config(VaeConfig.MNIST_PIXELS));
        assertEquals(10, est.getMaxIter());
        assertEquals(128, est.getBatchSize());
        assertEquals(50, est.getAveragingFrequency());
        assertTrue(!est.isDefined(est.numWorkers()), "numWorkers: unset means the CLI's rule");
        assertTrue(!est.isDefined(est.validationIndicatorCol()), "no rows held out unless asked");
        assertTrue(est.explainParams().contains("latentDim: latent dimension M"));
    }

    @Test
    void paramsMapOntoTheModelConfigurationAndCombinationsNameTheParams() {
        VaeConfig c = new VaeEstimator().setLatentDim(4).setPrior("mog").setNumComponents(3).setLikelihood("gaussian")
                .setVariance("0.1").setStepSize(2e-3).config(100);
        assertEquals(new VaeConfig(100, VaeConfig.DEFAULT_HIDDEN, 4, 2e-3, PriorKind.MOG, 3, LikelihoodKind.GAUSSIAN, 0.1,
                null, null), c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VaeEstimator().setLevels(2).setPrior("vamp").config(784));
        assertEquals("levels 2 has p(z2) = N(0, I); it cannot be combined with prior vamp", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VaeEstimator().setVariance("0.5").config(784));
        assertEquals("variance applies to likelihood gaussian only (got likelihood bernoulli)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VaeEstimator().setArch("cnn").config(100));
        assertTrue(e.getMessage().startsWith("arch cnn needs 28x28 images"), e.getMessage());
    }

    /**
     * The training minibatch and the rows per scoring pass are two Params: a fitted model (copyValues, as fit calls it)
     * scores 1000 rows at a time whatever the training batch, and takes the estimator's scoringBatchSize when set.
     */
    @Test
    void aFittedModelScoresWithTheScoringBatchNotTheTrainingBatch() {
        VaeEstimator est = new VaeEstimator().setBatchSize(64);
        VaeModel model = est.copyValues(new VaeModel("vae_m", null, null, null), ParamMap.empty());
        assertTrue(!model.hasParam("batchSize"), "the training batch is the estimator's only");
        assertEquals(1000, model.getScoringBatchSize());
        assertEquals(250, est.setScoringBatchSize(250).copyValues(new VaeModel("vae_m", null, null, null), ParamMap.empty())
                .getScoringBatchSize());
    }

    /** A model saved when the scoring batch was called batchSize still loads, its value read as scoringBatchSize. */
    @Test
    void aModelSavedWithTheOldBatchSizeParamLoads() throws Exception {
        String json = java.nio.file.Files.readString(java.nio.file.Path.of("src", "test", "resources", "org", "sparkvae", "ml",
                "VaeModelMetadataFuzzTestInputs", "metadata", "spark-3.5.9-metadata.json"));
        assertTrue(json.contains("\"batchSize\":128"), json);
        VaeModel model = new VaeModel("vae_0123456789ab", null, null, null);
        VaeModel.setParams("metadata", VaeModel.parseMetadata("metadata", json), model);
        assertEquals(128, model.getScoringBatchSize());
        assertEquals(42L, model.getSeed());
        // Not a JSON object: left for Spark's parser to refuse in one line.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VaeModel.parseMetadata("m", "[1,"));
        assertTrue(e.getMessage().startsWith("m: not the metadata of a saved VaeModel"), e.getMessage());
    }

    /** The nine shared Params are declared once (VaeSharedParams): Spark finds them on both stages, with one default each. */
    @Test
    void theEstimatorAndItsModelShareOneDeclarationOfTheirCommonParams() {
        VaeEstimator est = new VaeEstimator();
        VaeModel model = new VaeModel("m", null, null, null);
        Set<String> shared = Arrays.stream(model.params()).map(Param::name).collect(Collectors.toSet());
        assertEquals(Set.of("featuresCol", "muCol", "sampleCol", "negElboCol", "reconCol", "klCol", "sampling", "seed",
                "scoringBatchSize"), shared);
        Set<String> onEstimator = Arrays.stream(est.params()).map(Param::name).collect(Collectors.toSet());
        assertTrue(onEstimator.containsAll(shared), onEstimator.toString());
        for (String name : shared) {
            assertEquals(est.getDefault(est.getParam(name)), model.getDefault(model.getParam(name)), name);
            assertEquals(est.uid(), est.getParam(name).parent(), "each stage owns its instances: " + name);
        }
    }

    @Test
    void copyKeepsValuesAndAppliesExtras() {
        VaeEstimator est = new VaeEstimator().setLatentDim(7).setSeed(3);
        VaeEstimator copy = est.copy(new ParamMap().put(est.maxIter().w(2)));
        assertEquals(est.uid(), copy.uid());
        assertEquals(7, copy.getLatentDim());
        assertEquals(3L, copy.getSeed());
        assertEquals(2, copy.getMaxIter());
        assertEquals(10, est.getMaxIter(), "the original is unchanged");
    }

    @Test
    void theSchemaGainsFiveColumnsAndRefusesClashesAndWrongTypes() {
        StructType in = new StructType().add("index", DataTypes.LongType).add("features", new VectorUDT());
        StructType out = new VaeEstimator().transformSchema(in);
        assertEquals(Arrays.asList("index", "features", "mu", "z", "neg_elbo", "recon", "kl"), Arrays.asList(out.fieldNames()));
        assertEquals(new VectorUDT(), out.apply("mu").dataType());
        assertEquals(DataTypes.DoubleType, out.apply("neg_elbo").dataType());
        StructType arrays = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
        assertEquals(6, new VaeEstimator().setFeaturesCol("pixels").transformSchema(arrays).size());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VaeEstimator().transformSchema(in.add("mu", DataTypes.DoubleType)));
        assertEquals("Output column mu already exists.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VaeEstimator().setFeaturesCol("x").transformSchema(in));
        assertEquals("featuresCol: column x does not exist; the columns are index, features", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VaeEstimator().transformSchema(
                new StructType().add("features", DataTypes.StringType)));
        assertEquals("featuresCol: column features must be a vector or an array of float or double, but is string", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VaeEstimator().setSampleCol("mu").transformSchema(in));
        assertTrue(e.getMessage().startsWith("muCol, sampleCol, negElboCol, reconCol and klCol must differ"), e.getMessage());
    }
}
