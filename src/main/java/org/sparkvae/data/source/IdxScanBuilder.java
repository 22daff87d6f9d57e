package org.sparkvae.data.source;

import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructType;

/** Column pruning: a scan that needs no {@code features} reads no pixels, one without {@code label} no labels. */
final class IdxScanBuilder implements ScanBuilder, SupportsPushDownRequiredColumns {
    private final IdxOptions options;
    private final IdxLayout layout;
    private StructType required;

    IdxScanBuilder(IdxOptions options, IdxLayout layout, StructType schema) {
        this.options = options;
        this.layout = layout;
        this.required = schema;
    }

    @Override
    public void pruneColumns(StructType requiredSchema) {
        this.required = requiredSchema;
    }

    @Override
    public Scan build() {
        return new IdxScan(options, layout, required);
    }
}
