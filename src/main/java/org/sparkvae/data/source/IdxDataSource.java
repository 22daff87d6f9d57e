package org.sparkvae.data.source;

import org.sparkvae.data.FeatureColumn;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.Map;

/**
 * {@code spark.read.format("idx")}: IDX image/label pairs (MNIST, Fashion-MNIST, EMNIST, any 8-bit IDX set) as
 * {@code index long, label int, features vector}, read by the executors in record ranges.
 * <pre>
 *   spark.read.format("idx").option("mode", "binary").load("data/mnist")            // train split of a directory
 *   spark.read.format("idx").option("split", "test").load("hdfs:///data/mnist")
 *   spark.read.format("idx").load("s3a://b/emnist/emnist-balanced-train-images-idx3-ubyte.gz")
 * </pre>
 * Options: {@code mode} (binary | continuous), {@code threshold} (binary: pixel/255 &gt; threshold, default 0.5),
 * {@code split} (train | test, for a directory), {@code labels} (the labels file when the images file has no
 * {@code -labels-idx1-ubyte} twin), {@code recordsPerPartition} (default: about 64 MB of pixels per task),
 * {@code classes} (the declared class count, e.g. 47 for EMNIST balanced: a larger label fails the read).
 * The driver reads only the two headers and the file lengths; a gzipped file is one partition (gzip cannot be
 * split). The {@code features} column's metadata holds the data mode, threshold and image shape.
 */
public final class IdxDataSource implements TableProvider, DataSourceRegister {
    public static final String SHORT_NAME = "idx";

    @Override
    public String shortName() {
        return SHORT_NAME;
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return IdxTable.of(options).schema();
    }

    @Override
    public boolean supportsExternalMetadata() {
        return false;
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return IdxTable.of(new CaseInsensitiveStringMap(properties));
    }

    /** The columns: index, label and the pixels as an ML vector with the data's description in its metadata. */
    static StructType schema(IdxOptions o, IdxLayout layout) {
        Metadata meta = new MetadataBuilder().putString(FeatureColumn.DATA_MODE, o.mode().cliName()).putDouble("threshold", o.threshold())
                .putLong(FeatureColumn.ROWS, layout.rows()).putLong(FeatureColumn.COLS, layout.cols()).putString(FeatureColumn.IMAGES, layout.imagesPath())
                .putLong("count", layout.count()).build();
        return new StructType(new StructField[] {
                DataTypes.createStructField("index", DataTypes.LongType, false),
                new StructField("label", DataTypes.IntegerType, false, o.classes() > 0
                        ? new MetadataBuilder().putLong("classes", o.classes()).build() : Metadata.empty()),
                new StructField("features", SQLDataTypes.VectorType(), false, meta)});
    }
}
