package org.sparkvae.ml;

import org.sparkvae.data.FeatureColumn;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.exec.ExecutionBackend;
import org.sparkvae.exec.ModelProvenance;
import org.sparkvae.exec.SparkBackend;
import org.sparkvae.exec.TrainingData;
import org.sparkvae.exec.TrainingSettings;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.Vae;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.run.Topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import org.sparkvae.evaluate.ElboEvaluator;

/**
 * Trains a VAE on a DataFrame's {@code featuresCol} with Spark's parameter averaging — the trainer the CLI's
 * {@code train} uses, with the same defaults — and returns a {@link VaeModel} with a {@link VaeTrainingSummary}.
 * Pixels must be what the likelihood models: binary for {@code bernoulli}, in [0, 1] for {@code gaussian} and
 * {@code cb} ({@code spark.read.format("idx").option("mode", ...)} gives either). A Pipeline stage:
 *
 * <pre>{@code
 * // Java
 * Dataset<Row> train = spark.read().format("idx").load("data/mnist");
 * VaeModel model = new VaeEstimator().setLatentDim(10).setMaxIter(1).fit(train);
 * double negElbo = new VaeEvaluator().evaluate(model.setSampling(false).transform(test));
 * // Scala
 * val model = new VaeEstimator().setLatentDim(10).setMaxIter(1).fit(train)
 * val pipeline = new Pipeline().setStages(Array(new VaeEstimator().setMaxIter(1),
 *     new PCA().setInputCol("mu").setOutputCol("pca").setK(2)))
 * }</pre>
 */
public final class VaeEstimator extends Estimator<VaeModel> implements DefaultParamsWritable, VaeSharedParams {
    private final String uid;
    private final Shared shared;
    private final Param<String> validationIndicatorCol;
    private final IntParam batchSize;
    private final IntParam latentDim;
    private final Param<String> prior;
    private final IntParam numComponents;
    private final Param<String> likelihood;
    private final Param<String> variance;
    private final Param<String> arch;
    private final IntParam levels;
    private final IntParam maxIter;
    private final DoubleParam stepSize;
    private final IntParam numWorkers;
    private final IntParam averagingFrequency;

    public VaeEstimator() {
        this(Identifiable$.MODULE$.randomUID("vae"));
    }

    public VaeEstimator(String uid) {
        this.uid = uid;
        shared = new Shared(this);
        validationIndicatorCol = VaeParamDefs.column(this, "validationIndicatorCol", "boolean column: true marks the rows held "
                + "out of training, whose -ELBO is evaluated after every epoch (the summary's validationHistory); unset: none");
        batchSize = VaeParamDefs.batchSize(this);
        latentDim = VaeParamDefs.latentDim(this);
        prior = VaeParamDefs.prior(this);
        numComponents = VaeParamDefs.numComponents(this);
        likelihood = VaeParamDefs.likelihood(this);
        variance = VaeParamDefs.variance(this);
        arch = VaeParamDefs.arch(this);
        levels = VaeParamDefs.levels(this);
        maxIter = VaeParamDefs.maxIter(this);
        stepSize = VaeParamDefs.stepSize(this);
        numWorkers = VaeParamDefs.numWorkers(this);
        averagingFrequency = VaeParamDefs.averagingFrequency(this);
        setDefault(batchSize, VaeParamDefs.DEFAULT_BATCH_SIZE);
        // The model's defaults are the library's (VaeConfig.defaults()), as the CLI's and the sweep grid's.
        VaeConfig d = VaeConfig.defaults();
        setDefault(latentDim, d.latentDim());
        setDefault(prior, d.prior().cliName());
        setDefault(numComponents, d.components());
        setDefault(likelihood, d.likelihood().cliName());
        setDefault(variance, "learned");
        setDefault(arch, d.arch().cliName());
        setDefault(levels, d.levels());
        setDefault(maxIter, VaeParamDefs.DEFAULT_MAX_ITER);
        setDefault(stepSize, d.learningRate());
        setDefault(averagingFrequency, VaeParamDefs.DEFAULT_AVERAGING_FREQUENCY);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Shared shared() {
        return shared;
    }

    public Param<String> validationIndicatorCol() { return validationIndicatorCol; }
    public IntParam batchSize() { return batchSize; }
    public IntParam latentDim() { return latentDim; }
    public Param<String> prior() { return prior; }
    public IntParam numComponents() { return numComponents; }
    public Param<String> likelihood() { return likelihood; }
    public Param<String> variance() { return variance; }
    public Param<String> arch() { return arch; }
    public IntParam levels() { return levels; }
    public IntParam maxIter() { return maxIter; }
    public DoubleParam stepSize() { return stepSize; }
    public IntParam numWorkers() { return numWorkers; }
    public IntParam averagingFrequency() { return averagingFrequency; }

    public String getValidationIndicatorCol() { return getOrDefault(validationIndicatorCol); }
    public int getBatchSize() { return (Integer) getOrDefault(batchSize); }
    public int getLatentDim() { return (Integer) getOrDefault(latentDim); }
    public String getPrior() { return getOrDefault(prior); }
    public int getNumComponents() { return (Integer) getOrDefault(numComponents); }
    public String getLikelihood() { return getOrDefault(likelihood); }
    public String getVariance() { return getOrDefault(variance); }
    public String getArch() { return getOrDefault(arch); }
    public int getLevels() { return (Integer) getOrDefault(levels); }
    public int getMaxIter() { return (Integer) getOrDefault(maxIter); }
    public double getStepSize() { return (Double) getOrDefault(stepSize); }
    public int getAveragingFrequency() { return (Integer) getOrDefault(averagingFrequency); }

    public VaeEstimator setFeaturesCol(String v) { set(featuresCol(), v); return this; }
    public VaeEstimator setValidationIndicatorCol(String v) { set(validationIndicatorCol, v); return this; }
    public VaeEstimator setMuCol(String v) { set(muCol(), v); return this; }
    public VaeEstimator setSampleCol(String v) { set(sampleCol(), v); return this; }
    public VaeEstimator setNegElboCol(String v) { set(negElboCol(), v); return this; }
    public VaeEstimator setReconCol(String v) { set(reconCol(), v); return this; }
    public VaeEstimator setKlCol(String v) { set(klCol(), v); return this; }
    public VaeEstimator setSampling(boolean v) { set(sampling(), v); return this; }
    public VaeEstimator setSeed(long v) { set(seed(), v); return this; }
    public VaeEstimator setBatchSize(int v) { set(batchSize, v); return this; }
    public VaeEstimator setScoringBatchSize(int v) { set(scoringBatchSize(), v); return this; }
    public VaeEstimator setLatentDim(int v) { set(latentDim, v); return this; }
    public VaeEstimator setPrior(String v) { set(prior, v); return this; }
    public VaeEstimator setNumComponents(int v) { set(numComponents, v); return this; }
    public VaeEstimator setLikelihood(String v) { set(likelihood, v); return this; }
    public VaeEstimator setVariance(String v) { set(variance, v); return this; }
    public VaeEstimator setArch(String v) { set(arch, v); return this; }
    public VaeEstimator setLevels(int v) { set(levels, v); return this; }
    public VaeEstimator setMaxIter(int v) { set(maxIter, v); return this; }
    public VaeEstimator setStepSize(double v) { set(stepSize, v); return this; }
    public VaeEstimator setNumWorkers(int v) { set(numWorkers, v); return this; }
    public VaeEstimator setAveragingFrequency(int v) { set(averagingFrequency, v); return this; }

    /**
     * The model these Params describe for {@code inputSize} pixels. The combinations single Params cannot
     * check are refused here, naming the Params.
     */
    public VaeConfig config(int inputSize) {
        LikelihoodKind l = VaeParamDefs.parse(LikelihoodKind.class, getLikelihood());
        PriorKind p = VaeParamDefs.parse(PriorKind.class, getPrior());
        Architecture a = VaeParamDefs.parse(Architecture.class, getArch());
        Double fixed = "learned".equals(getVariance()) ? null : Double.parseDouble(getVariance());
        try {
            // The cross-field rules are VaeConfig's, spelled once; its message names this stage's Params.
            return new VaeConfig(inputSize, VaeConfig.DEFAULT_HIDDEN, getLatentDim(), getStepSize(), p, getNumComponents(), l,
                    fixed, a, getLevels());
        } catch (SettingException e) {
            throw new IllegalArgumentException(e.messageIn(PARAM_NAMES), e);
        }
    }

    /** This stage's name for each VaeConfig setting whose name differs (the others are spelled alike). */
    private static final java.util.Map<String, String> PARAM_NAMES = java.util.Map.of("fixedVariance", "variance",
            "learningRate", "stepSize", "components", "numComponents", "inputSize", "the featuresCol vector size");

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureColumn.require(schema, getFeaturesCol());
        if (isDefined(validationIndicatorCol)) {
            String v = getValidationIndicatorCol();
            if (!Arrays.asList(schema.fieldNames()).contains(v) || !schema.apply(v).dataType().equals(DataTypes.BooleanType)) {
                throw new IllegalArgumentException("validationIndicatorCol " + v + " must be a boolean column of the DataFrame"
                        + (Arrays.asList(schema.fieldNames()).contains(v) ? ", it is " + schema.apply(v).dataType().simpleString() : ""));
            }
        }
        // What the fitted model's transform adds (the same checks: outputs must be new columns).
        return VaeModel.outputSchema(schema, List.of(getOrDefault(muCol()), getOrDefault(sampleCol()), getOrDefault(negElboCol()),
                getOrDefault(reconCol()), getOrDefault(klCol())));
    }

    @Override
    public VaeModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        StructField f = df.schema().apply(getFeaturesCol()); // checked by transformSchema above
        LikelihoodKind l = VaeParamDefs.parse(LikelihoodKind.class, getLikelihood());
        DataMode given = FeatureColumn.modeOf(f);
        if (given != null && given != l.dataMode()) {
            throw new IllegalArgumentException("likelihood " + getLikelihood() + " models " + l.dataMode().cliName()
                    + " pixels, but featuresCol " + f.name() + " holds " + given.cliName() + " pixels (its metadata); set likelihood "
                    + (l == LikelihoodKind.BERNOULLI ? "gaussian or cb" : "bernoulli") + " or read the data with option(\"mode\", \""
                    + l.dataMode().cliName() + "\")");
        }
        // The trainer's input: (index long, features array<float>). Rows keep the DataFrame's index when it has
        // one (the idx source's), so a seeded fit repeats whatever the partitioning; else their position.
        boolean hasIndex = Arrays.asList(df.schema().fieldNames()).contains(VaeModel.INDEX_COL);
        Column index = hasIndex ? col(VaeModel.INDEX_COL).cast(DataTypes.LongType) : monotonically_increasing_id();
        Dataset<Row> all = df.select(index.as(MnistDataFrames.INDEX), FeatureColumn.asFloatArray(f).as(MnistDataFrames.FEATURES),
                (isDefined(validationIndicatorCol) ? col(getValidationIndicatorCol()) : lit(false)).as("validation"));
        // Rows marked for validation are held out of training and scored after every epoch (as GBT's validationIndicatorCol).
        Dataset<Row> frame = all.where(not(col("validation"))).drop("validation");
        Dataset<Row> held = isDefined(validationIndicatorCol) ? all.where(col("validation")).drop("validation") : null;
        int inputSize = inputSize(f, frame);
        VaeConfig config = config(inputSize);
        TrainingSettings settings = new TrainingSettings(getMaxIter(), getBatchSize(), getSeed(),
                isDefined(numWorkers) ? (Integer) getOrDefault(numWorkers) : null, getAveragingFrequency());
        Metadata meta = f.metadata();
        TrainingData data = TrainingData.rows(frame, inputSize, null, meta.contains(FeatureColumn.IMAGES) ? meta.getString(FeatureColumn.IMAGES) : null,
                meta.contains(FeatureColumn.IDX_MD5) ? meta.getString(FeatureColumn.IDX_MD5) : null);
        ExecutionBackend.HeldOut validation = held == null ? null
                : new ExecutionBackend.HeldOut(TrainingData.rows(held, inputSize, null, null, null), getScoringBatchSize());
        try (ExecutionBackend backend = SparkBackend.on(df.sparkSession(), false)) {
            Vae vae = Vae.create(config, getSeed());
            List<EpochRecord> history = new ArrayList<>();
            backend.fit(vae, data, validation, settings, 1, history, List.of());
            Topology topology = backend.topology(settings);
            ModelInfo info = ModelProvenance.of(config, data, settings, getMaxIter(), history, topology);
            VaeModel model = new VaeModel(uid, vae, info, new VaeTrainingSummary(history, topology.workers(), topology.master(),
                    held == null ? new double[0] : history.stream().mapToDouble(EpochRecord::testNegElbo).toArray()));
            return copyValues(model, ParamMap.empty()).setParent(this);
        }
    }

    /** Pixels per row: from the column's metadata when the idx source or the CLI wrote it, else from the first row. */
    private static int inputSize(StructField f, Dataset<Row> frame) {
        Metadata meta = f.metadata();
        if (meta.contains(FeatureColumn.ROWS) && meta.contains(FeatureColumn.COLS)) {
            return Math.toIntExact(meta.getLong(FeatureColumn.ROWS) * meta.getLong(FeatureColumn.COLS));
        }
        List<Row> first = frame.select(MnistDataFrames.FEATURES).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the DataFrame has no rows to train on");
        }
        return first.get(0).getList(0).size();
    }

    @Override
    public VaeEstimator copy(ParamMap extra) {
        return (VaeEstimator) defaultCopy(extra);
    }

    /** Called by reflection from {@code Pipeline.load} and {@code DefaultParamsReader}. */
    public static MLReader<VaeEstimator> read() {
        return new DefaultParamsReader<>();
    }

    public static VaeEstimator load(String path) {
        return read().load(path);
    }
}
