package org.sparkvae.data.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Set;

/** One IDX pair as a batch-readable table; its layout is read (headers only) when the table is resolved. */
final class IdxTable implements SupportsRead {
    private final IdxOptions options;
    private final IdxLayout layout;
    private final StructType schema;

    private IdxTable(IdxOptions options, IdxLayout layout) {
        this.options = options;
        this.layout = layout;
        this.schema = IdxDataSource.schema(options, layout);
    }

    static IdxTable of(CaseInsensitiveStringMap options) {
        Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
        try {
            IdxOptions o = IdxOptions.parse(options, conf);
            return new IdxTable(o, IdxLayout.read(o.imagesPath(), o.labelsPath(), conf));
        } catch (IOException e) {
            // The message is the one line a user needs (file: problem); Spark's API here takes no checked exceptions.
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "idx:" + layout.imagesPath();
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return EnumSet.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
        return new IdxScanBuilder(options, layout, schema);
    }
}
