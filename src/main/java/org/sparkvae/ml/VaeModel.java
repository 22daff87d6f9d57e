package org.sparkvae.ml;

import org.sparkvae.data.FeatureColumn;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.DataMode;
import org.sparkvae.evaluate.RowScorer;
import org.sparkvae.evaluate.VaeBroadcast;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.sparkvae.backend.ExecutorPreflight;
import org.sparkvae.evaluate.ElboEvaluator;

/**
 * A trained VAE as a Spark ML {@link Model}: {@link #transform} adds, per row, the posterior mean
 * ({@code muCol}, a vector of M), one draw z ~ q(z|x) ({@code sampleCol}; seeded from (seed, row index), so
 * re-evaluating the DataFrame gives the same draw; z = mu with {@code setSampling(false)}), the row's -ELBO
 * ({@code negElboCol}, nats: an anomaly score) and its two terms ({@code reconCol}, {@code klCol}). The row
 * index is the {@code index} column when there is one (the idx source and the CLI's DataFrames have it),
 * else the row's position in its partition. Executors rebuild the network once per partition.
 *
 * <p>Saved as Spark saves its own models ({@link #write()}: the Params as metadata, the model zip under
 * {@code path/data/}) and loaded through spark-vae's validating loader, never Java deserialization;
 * {@link #fromFile} wraps a model the CLI trained.
 *
 * <pre>{@code
 * // Java                                              // Scala
 * VaeModel m = VaeModel.fromFile("runs/model.zip");    val m = VaeModel.fromFile("runs/model.zip")
 * Dataset<Row> scored = m.setSampling(false)           val scored = m.setSampling(false).transform(df)
 *         .transform(df);
 * }</pre>
 */
public final class VaeModel extends Model<VaeModel> implements MLWritable, VaeSharedParams {
    private static final String DATA_DIR = "data";
    private static final String ZIP = "model.zip";
    /** The column whose values key each row's noise, when the DataFrame has it. */
    public static final String INDEX_COL = "index";

    private final String uid;
    // Not Serializable (DL4J's network): a model never travels inside a closure; executors get a VaeBroadcast.
    private final transient Vae vae;
    private final ModelInfo info;
    private final VaeTrainingSummary summary;
    private final Shared shared;


    /** A model for {@code vae} with the provenance {@code info}; {@code summary} may be null. */
    public VaeModel(String uid, Vae vae, ModelInfo info, VaeTrainingSummary summary) {
        this.uid = uid;
        this.vae = vae;
        this.info = info;
        this.summary = summary;
        this.shared = new Shared(this);
    }

    /** Wraps a model trained by the CLI ({@code train --model FILE}), read through the validating loader. */
    public static VaeModel fromFile(String zip) throws IOException {
        ModelStore.Loaded loaded = ModelStore.load(zip);
        return new VaeModel(Identifiable$.MODULE$.randomUID("vae"), loaded.vae(), loaded.info(), null);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Shared shared() {
        return shared;
    }

    /** The network and its operations (encode, decode, sample). */
    public Vae vae() {
        return vae;
    }

    /** The model's provenance: configuration, data, training history, software versions. */
    public ModelInfo info() {
        return info;
    }

    public int latentDim() {
        return vae.config().latentDim();
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** The training summary of a model that {@link VaeEstimator#fit} returned (not of a loaded one). */
    public VaeTrainingSummary summary() {
        if (summary == null) {
            throw new NoSuchElementException("No training summary available for this VaeModel (it was loaded, not fitted)");
        }
        return summary;
    }



    public VaeModel setFeaturesCol(String v) { set(featuresCol(), v); return this; }
    public VaeModel setMuCol(String v) { set(muCol(), v); return this; }
    public VaeModel setSampleCol(String v) { set(sampleCol(), v); return this; }
    public VaeModel setNegElboCol(String v) { set(negElboCol(), v); return this; }
    public VaeModel setReconCol(String v) { set(reconCol(), v); return this; }
    public VaeModel setKlCol(String v) { set(klCol(), v); return this; }
    public VaeModel setSampling(boolean v) { set(sampling(), v); return this; }
    public VaeModel setSeed(long v) { set(seed(), v); return this; }
    public VaeModel setScoringBatchSize(int v) { set(scoringBatchSize(), v); return this; }

    /** The data mode the model was trained on ("binary" pixels in {0, 1} or "continuous" in [0, 1]). */
    public DataMode dataMode() {
        return DataMode.valueOf(info.dataMode().toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        StructField f = FeatureColumn.require(schema, getFeaturesCol());
        DataMode given = FeatureColumn.modeOf(f);
        if (given != null && given != dataMode()) {
            throw new IllegalArgumentException("featuresCol: column " + f.name() + " holds " + given.cliName()
                    + " pixels (its metadata), but the model was trained on " + dataMode().cliName() + " pixels; read the data with "
                    + "option(\"mode\", \"" + dataMode().cliName() + "\")");
        }
        return outputSchema(schema, List.of(getMuCol(), getSampleCol(), getNegElboCol(), getReconCol(), getKlCol()));
    }

    /**
     * {@code schema} with the five output columns named by {@code outputs} (mu, sample, -ELBO, recon, kl), which must be
     * new and distinct: the estimator's transformSchema checks its own Params' names here.
     */
    static StructType outputSchema(StructType schema, List<String> outputs) {
        if (outputs.stream().distinct().count() != outputs.size()) {
            throw new IllegalArgumentException("muCol, sampleCol, negElboCol, reconCol and klCol must differ: " + outputs);
        }
        List<String> existing = Arrays.asList(schema.fieldNames());
        for (String c : outputs) {
            if (existing.contains(c)) {
                throw new IllegalArgumentException("Output column " + c + " already exists.");
            }
        }
        return schema.add(outputs.get(0), new VectorUDT(), false)
                .add(outputs.get(1), new VectorUDT(), false)
                .add(outputs.get(2), DataTypes.DoubleType, false)
                .add(outputs.get(3), DataTypes.DoubleType, false)
                .add(outputs.get(4), DataTypes.DoubleType, false);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        StructType in = df.schema();
        int features = in.fieldIndex(getFeaturesCol());
        int index = Arrays.asList(in.fieldNames()).contains(INDEX_COL)
                && (in.apply(INDEX_COL).dataType() == DataTypes.LongType || in.apply(INDEX_COL).dataType() == DataTypes.IntegerType)
                ? in.fieldIndex(INDEX_COL) : -1;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        ExecutorPreflight.requireSupportedGpus(sc);
        Broadcast<VaeBroadcast> model = sc.broadcast(new VaeBroadcast(vae));
        Scoring scoring = new Scoring(features, index, getSeed(), getSampling(), getScoringBatchSize(), vae.config().inputSize());
        JavaRDD<Row> rows = df.javaRDD().mapPartitionsWithIndex((part, it) -> new ScoredRows(model, it, part, scoring), true);
        return df.sparkSession().createDataFrame(rows, out);
    }

    /** What every task scores with: column positions (index -1: none), the Params' values and the model's D. */
    private record Scoring(int features, int index, long seed, boolean sampling, int batch, int inputs) implements java.io.Serializable {
    }

    /** A partition's rows with the five columns appended, scored {@code batch} rows at a time. */
    private static final class ScoredRows implements Iterator<Row> {
        private final Broadcast<VaeBroadcast> model;
        private final Iterator<Row> in;
        private final int features;
        private final int index;
        private final long partition;
        private final long seed;
        private final boolean sampling;
        private final int batch;
        private final int inputs;
        private RowScorer scorer;
        private long position;
        private Iterator<Row> ready = java.util.Collections.emptyIterator();

        ScoredRows(Broadcast<VaeBroadcast> model, Iterator<Row> in, long partition, Scoring scoring) {
            this.model = model;
            this.in = in;
            this.features = scoring.features();
            this.index = scoring.index();
            this.partition = partition;
            this.seed = scoring.seed();
            this.sampling = scoring.sampling();
            this.batch = scoring.batch();
            this.inputs = scoring.inputs();
        }

        @Override
        public boolean hasNext() {
            if (!ready.hasNext() && in.hasNext()) {
                ready = next(batch).iterator();
            }
            return ready.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.next();
        }

        private List<Row> next(int max) {
            List<Row> rows = new ArrayList<>(max);
            while (rows.size() < max && in.hasNext()) {
                rows.add(in.next());
            }
            float[] flat = new float[rows.size() * inputs];
            long[] keys = new long[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                float[] x = FeatureColumn.values(rows.get(i), features);
                if (x.length != inputs) {
                    throw new IllegalArgumentException("featuresCol: a row has " + x.length + " values, the model takes " + inputs);
                }
                System.arraycopy(x, 0, flat, i * inputs, inputs);
                // The index column, or the position in the partition (as monotonically_increasing_id numbers rows).
                keys[i] = index >= 0 ? ((Number) rows.get(i).get(index)).longValue() : (partition << 33) + position;
                position++;
            }
            if (scorer == null) {
                scorer = new RowScorer(model.value().vae(), seed, sampling);
            }
            RowScorer.Result r = scorer.score(Nd4j.create(flat, new long[] {rows.size(), inputs}, 'c'), keys);
            double[] recon = r.recon().toDoubleVector();
            double[] kl = r.kl().toDoubleVector();
            List<Row> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                Object[] values = new Object[row.length() + 5];
                for (int c = 0; c < row.length(); c++) {
                    values[c] = row.get(c);
                }
                int c = row.length();
                values[c] = new DenseVector(r.mu().getRow(i).toDoubleVector());
                values[c + 1] = new DenseVector(r.z().getRow(i).toDoubleVector());
                values[c + 2] = recon[i] + kl[i];
                values[c + 3] = recon[i];
                values[c + 4] = kl[i];
                out.add(RowFactory.create(values));
            }
            return out;
        }
    }

    @Override
    public VaeModel copy(ParamMap extra) {
        VaeModel copy = new VaeModel(uid, vae, info, summary);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Spark's model layout: {@code path/metadata} (the Params, by DefaultParamsWriter) and {@code path/data/model.zip}. */
    private static final class Writer extends MLWriter {
        private final VaeModel model;

        Writer(VaeModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sc(), scala.Option.empty(), scala.Option.empty());
            try {
                ModelStore.save(model.vae, model.info, new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(path, DATA_DIR), ZIP).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Spark writes a VaeModel's metadata in a few hundred bytes; a larger file is not one, and is not read whole. */
    static final int MAX_METADATA_BYTES = 64 * 1024;

    /** Called by reflection from {@code PipelineModel.load} and {@code DefaultParamsReader}. */
    public static MLReader<VaeModel> read() {
        return new MLReader<>() {
            @Override
            public VaeModel load(String path) {
                // The metadata first (bounded, parsed and checked), then the model zip (ModelZipReader's checks), then
                // the Params: a crafted directory is refused in one line before anything large is read or built.
                // Spark's DefaultParamsReader.loadMetadata reads the file whole through sc.textFile and lets a
                // scala.MatchError or json4s' exceptions through for a malformed one.
                org.apache.hadoop.fs.Path metadataDir = new org.apache.hadoop.fs.Path(path, "metadata");
                String json;
                try {
                    json = readMetadata(metadataDir, sc().hadoopConfiguration());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                DefaultParamsReader.Metadata metadata = parseMetadata(metadataDir.toString(), json);
                ModelStore.Loaded loaded;
                try {
                    loaded = ModelStore.load(new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(path, DATA_DIR), ZIP).toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                VaeModel model = new VaeModel(metadata.uid(), loaded.vae(), loaded.info(), null);
                setParams(metadataDir.toString(), metadata, model);
                return model;
            }
        };
    }

    private static String readMetadata(org.apache.hadoop.fs.Path dir, org.apache.hadoop.conf.Configuration conf) throws IOException {
        org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
        org.apache.hadoop.fs.Path part = new org.apache.hadoop.fs.Path(dir, "part-00000");
        if (!fs.exists(part)) {
            throw new java.nio.file.NoSuchFileException(part + ": no Spark ML metadata (not a saved VaeModel)");
        }
        long length = fs.getFileStatus(part).getLen();
        if (length > MAX_METADATA_BYTES) {
            throw new IOException(part + ": " + length + " bytes, more than a VaeModel's metadata (at most " + MAX_METADATA_BYTES
                    + "); not loaded");
        }
        try (var in = fs.open(part)) {
            return new String(in.readNBytes((int) length), java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("");
        }
    }

    /**
     * A VaeModel's metadata JSON as Spark's DefaultParamsReader parses it, with every failure (json4s' parse and
     * mapping errors, a scala.MatchError on a value of the wrong type, another stage's class) as one
     * IllegalArgumentException naming {@code where}.
     */
    static DefaultParamsReader.Metadata parseMetadata(String where, String json) {
        try {
            return DefaultParamsReader$.MODULE$.parseMetadata(renameLegacyParams(json), VaeModel.class.getName());
        } catch (Exception | StackOverflowError e) { // Scala throws Jackson's checked exceptions undeclared
            throw refusal(where, e);
        }
    }

    /**
     * Models saved before the scoring batch had its own Param name it {@code batchSize}; it meant rows per scoring pass,
     * so it is read as {@code scoringBatchSize}. A JSON that does not parse is left as it is, for parseMetadata to refuse.
     */
    static String renameLegacyParams(String json) {
        if (!json.contains("\"batchSize\"")) {
            return json; // today's metadata: parsed once, by Spark's reader
        }
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(json);
            boolean changed = false;
            for (String map : List.of("paramMap", "defaultParamMap")) {
                if (root != null && root.get(map) instanceof com.fasterxml.jackson.databind.node.ObjectNode params
                        && params.has("batchSize") && !params.has("scoringBatchSize")) {
                    params.set("scoringBatchSize", params.remove("batchSize"));
                    changed = true;
                }
            }
            return changed ? mapper.writeValueAsString(root) : json;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return json;
        }
    }

    /** Sets the metadata's Params on {@code model}; an unknown Param or a value of the wrong type is refused in one line. */
    static void setParams(String where, DefaultParamsReader.Metadata metadata, VaeModel model) {
        try {
            metadata.getAndSetParams(model, scala.Option.empty());
        } catch (Exception | StackOverflowError e) { // Scala throws Jackson's checked exceptions undeclared
            throw refusal(where, e);
        }
    }

    private static IllegalArgumentException refusal(String where, Throwable e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        if (why.length() > 200) {
            why = why.substring(0, 200) + "...";
        }
        return new IllegalArgumentException(where + ": not the metadata of a saved VaeModel (" + why + "); not loaded", e);
    }

    public static VaeModel load(String path) {
        return read().load(path);
    }
}
