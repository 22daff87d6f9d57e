package org.sparkvae.spark;

import org.sparkvae.io.OptionException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.FeatureColumn;
import org.sparkvae.data.ImageShape;
import org.sparkvae.data.MnistDataFrames;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import org.sparkvae.data.FrameSource;

/**
 * Rows from any Spark data source ({@link org.sparkvae.data.FrameSource}) as the trainer and the evaluators take them:
 * {@code (index, [label,] features array<float>)}. Checked by one pass of the executors over the data before a model
 * sees it — every row has D values (the same D; an image shape, given or from the column's metadata, must have D
 * pixels), none null or NaN, all in [0, 1] — so bad data fails with one line naming the path instead of deep inside
 * a training task. Binary mode thresholds the values as the IDX reader does (x &gt; 0.5); the index is the rows'
 * position in the source's partitions, so a seeded run over the same files repeats.
 */
public final class FrameData {
    private final String path;
    private final Dataset<Row> frame;
    private final long count;
    private final int inputSize;
    private final ImageShape shape;
    private final boolean labelled;

    private FrameData(String path, Dataset<Row> frame, long count, int inputSize, ImageShape shape, boolean labelled) {
        this.path = path;
        this.frame = frame;
        this.count = count;
        this.inputSize = inputSize;
        this.shape = shape;
        this.labelled = labelled;
    }

    /**
     * Reads and checks {@code path} through {@code format}. {@code shape}: the images' shape if the caller knows it
     * (else the column metadata's, else none); {@code expectedInputSize}: the D a model already has (evaluate,
     * resume, a test set after its training set), or null.
     */
    public static FrameData load(SparkSession session, String path, String format, DataMode mode, ImageShape shape,
                                 Integer expectedInputSize) {
        return load(session, path, format, mode, shape, expectedInputSize, d -> { });
    }

    /**
     * As {@link #load(SparkSession, String, String, DataMode, ImageShape, Integer)}; {@code declaredD} is given D before
     * the data pass when the column declares it (an ML attribute group's size, the image shape of its metadata or of
     * {@code shape}), so that a model too large to build is refused before the executors read a single row.
     */
    public static FrameData load(SparkSession session, String path, String format, DataMode mode, ImageShape shape,
                                 Integer expectedInputSize, java.util.function.IntConsumer declaredD) {
        Dataset<Row> raw;
        try {
            raw = session.read().format(format).load(SparkSetup.absolute(path));
        } catch (Exception e) { // Spark's AnalysisException (no such path, no such source) is checked in Scala's eyes only
            throw new IllegalArgumentException(path + ": cannot read it as " + format + ": " + firstLine(e.getMessage()), e);
        }
        List<String> columns = Arrays.asList(raw.schema().fieldNames());
        StructField f;
        try {
            f = FeatureColumn.require(raw.schema(), MnistDataFrames.FEATURES);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage().replaceFirst("^featuresCol: ", ""), e);
        }
        boolean labelled = columns.contains(MnistDataFrames.LABEL);
        if (labelled && !(raw.schema().apply(MnistDataFrames.LABEL).dataType() instanceof IntegralType)) {
            throw new IllegalArgumentException(path + ": column label must hold integers, but is "
                    + raw.schema().apply(MnistDataFrames.LABEL).dataType().catalogString());
        }
        DataMode given = FeatureColumn.modeOf(f);
        if (given != null && given != mode) {
            throw new OptionException("%s: features hold %s pixels (its metadata), the run models %s pixels; choose the "
                    + "matching {dataMode} or likelihood", path, given.cliName(), mode.cliName());
        }
        ImageShape s = shape != null ? shape : shapeIn(f.metadata());
        int declared = s != null ? s.pixels() : f.dataType() instanceof org.apache.spark.ml.linalg.VectorUDT
                ? org.apache.spark.ml.attribute.AttributeGroup.fromStructField(f).size() : -1;
        if (declared > 0) {
            declaredD.accept(declared);
        }
        Column values = FeatureColumn.asFloatArray(f);
        // One pass on the executors: rows, the range of D, the value range, rows with a null or NaN value.
        Row stats = raw.select(values.as("v")).agg(org.apache.spark.sql.functions.count(lit(1)), min(size(col("v"))), max(size(col("v"))),
                min(array_min(col("v"))), max(array_max(col("v"))),
                sum(when(col("v").isNull().or(exists(col("v"), x -> x.isNull().or(x.isNaN()))), 1).otherwise(0))).first();
        long n = stats.getLong(0);
        if (n == 0) {
            throw new IllegalArgumentException(path + ": holds no rows");
        }
        if (!stats.isNullAt(5) && stats.getLong(5) > 0) {
            throw new IllegalArgumentException(path + ": " + stats.getLong(5) + " of " + n + " rows have a null features value or a "
                    + "null or NaN element");
        }
        int lo = stats.getInt(1);
        int hi = stats.getInt(2);
        if (lo != hi || lo <= 0) {
            throw new IllegalArgumentException(path + ": rows have " + (lo == hi ? lo : "from " + lo + " to " + hi)
                    + " features values; every row needs the same positive number D");
        }
        float vMin = stats.getFloat(3);
        float vMax = stats.getFloat(4);
        if (vMin < 0f || vMax > 1f) {
            throw new IllegalArgumentException(path + ": features values must lie in [0, 1] (pixel intensities), found "
                    + vMin + " to " + vMax);
        }
        if (s != null && s.pixels() != lo) {
            throw new OptionException("%s: rows have %d values, but the image shape %s " + (shape != null ? "({imageShape})"
                    : "(column metadata)") + " has %d", path, lo, s, s.pixels());
        }
        if (expectedInputSize != null && expectedInputSize != lo) {
            throw new IllegalArgumentException(path + ": rows have " + lo + " values, the model takes " + expectedInputSize);
        }
        Column pixels = mode == DataMode.BINARY
                ? transform(values, x -> when(x.gt(0.5f), lit(1f)).otherwise(lit(0f))) : values;
        Column[] out = labelled
                ? new Column[] {monotonically_increasing_id().as(MnistDataFrames.INDEX),
                        col(MnistDataFrames.LABEL).cast(DataTypes.IntegerType).as(MnistDataFrames.LABEL),
                        pixels.cast(DataTypes.createArrayType(DataTypes.FloatType)).as(MnistDataFrames.FEATURES)}
                : new Column[] {monotonically_increasing_id().as(MnistDataFrames.INDEX),
                        pixels.cast(DataTypes.createArrayType(DataTypes.FloatType)).as(MnistDataFrames.FEATURES)};
        return new FrameData(path, raw.select(out), n, lo, s, labelled);
    }

    /**
     * The rows a saved model is evaluated or projected on: {@code source}'s test rows, else its train rows, read by
     * the executors (Spark only) and checked against the model's D; the shape is the source's, else the model's.
     */
    public static FrameData forModel(SparkSession session, FrameSource source, DataMode mode,
                                     ImageShape modelShape, int modelInputSize) {
        String path = source.test() != null ? source.test() : source.train();
        return load(session, path, source.format(), mode, source.shape() != null ? source.shape() : modelShape, modelInputSize);
    }

    private static ImageShape shapeIn(Metadata m) {
        return m.contains(FeatureColumn.ROWS) && m.contains(FeatureColumn.COLS) ? new ImageShape((int) m.getLong(FeatureColumn.ROWS), (int) m.getLong(FeatureColumn.COLS)) : null;
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    public String path() {
        return path;
    }

    /** {@code (index long, [label int,] features array<float>)}, in the source's partitions. */
    public Dataset<Row> frame() {
        return frame;
    }

    public long count() {
        return count;
    }

    /** D, the values per row. */
    public int inputSize() {
        return inputSize;
    }

    /** The images' shape, or null when neither the caller nor the column's metadata gave one. */
    public ImageShape shape() {
        return shape;
    }

    public boolean labelled() {
        return labelled;
    }
}
