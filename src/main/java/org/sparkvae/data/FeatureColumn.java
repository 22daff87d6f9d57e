package org.sparkvae.data;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * A DataFrame's pixel column, for the Spark ML stages and for {@code train}/{@code evaluate} on any source: an ML
 * vector (what {@code spark.read.format("idx")} and MLlib give) or an array of floats or doubles (what the CLI's
 * DataFrames and Parquet files hold). Checked against the schema, read row by row on the executors.
 */
public final class FeatureColumn {
    /** The pixel column's metadata keys, written by the idx source and the CLI's loaders; spelled here only. */
    public static final String DATA_MODE = "data_mode";
    public static final String ROWS = "rows";
    public static final String COLS = "cols";
    public static final String IDX_MD5 = "idx_md5";
    public static final String IMAGES = "images";

    private FeatureColumn() { }

    /** Refuses a missing column or one of another type, in Spark's wording. */
    public static StructField require(StructType schema, String name) {
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("featuresCol: column " + name + " does not exist; the columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        StructField f = schema.apply(name);
        DataType t = f.dataType();
        boolean ok = t instanceof VectorUDT || t instanceof ArrayType a
                && (a.elementType() == DataTypes.FloatType || a.elementType() == DataTypes.DoubleType);
        if (!ok) {
            throw new IllegalArgumentException("featuresCol: column " + name + " must be a vector or an array of float or "
                    + "double, but is " + t.catalogString());
        }
        return f;
    }

    /** The data mode in the column's metadata (written by the idx source and the CLI's loaders), if any. */
    public static DataMode modeOf(StructField f) {
        Metadata m = f.metadata();
        if (!m.contains(DATA_MODE)) {
            return null;
        }
        return DataMode.valueOf(m.getString(DATA_MODE).toUpperCase(java.util.Locale.ROOT));
    }

    /** The column as {@code array<float>}: the trainer's input type. */
    public static Column asFloatArray(StructField f) {
        if (f.dataType() instanceof VectorUDT) {
            return org.apache.spark.ml.functions.vector_to_array(col(f.name()), "float32");
        }
        return col(f.name()).cast(DataTypes.createArrayType(DataTypes.FloatType));
    }

    /** One row's values. */
    public static float[] values(Row row, int column) {
        Object v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException("featuresCol: a row has a null features value");
        }
        if (v instanceof Vector vec) {
            double[] d = vec.toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        List<Object> list = row.getList(column);
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) list.get(i)).floatValue();
        }
        return f;
    }
}
