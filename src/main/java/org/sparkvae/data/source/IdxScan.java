package org.sparkvae.data.source;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/** The planned read: record ranges of about 64 MB of pixels (one range for gzip), read by {@link IdxPartitionReader}s. */
final class IdxScan implements Scan, Batch {
    private final IdxOptions options;
    private final IdxLayout layout;
    private final StructType required;

    IdxScan(IdxOptions options, IdxLayout layout, StructType required) {
        this.options = options;
        this.layout = layout;
        this.required = required;
    }

    @Override
    public StructType readSchema() {
        return required;
    }

    @Override
    public String description() {
        return "IdxScan " + layout.imagesPath() + " (" + layout.count() + " records of " + layout.rows() + "x" + layout.cols()
                + ", columns " + String.join(", ", required.fieldNames()) + ")";
    }

    @Override
    public Batch toBatch() {
        return this;
    }

    /** Records per partition: the option, or as many as fill {@link IdxOptions#TARGET_PARTITION_BYTES}; everything for gzip. */
    long recordsPerPartition() {
        if (layout.gzipped()) {
            return Math.max(1, layout.count());
        }
        if (options.recordsPerPartition() > 0) {
            return options.recordsPerPartition();
        }
        return Math.max(1, IdxOptions.TARGET_PARTITION_BYTES / layout.recordSize());
    }

    @Override
    public InputPartition[] planInputPartitions() {
        long per = recordsPerPartition();
        int parts = (int) Math.max(1, (layout.count() + per - 1) / per);
        InputPartition[] out = new InputPartition[parts];
        for (int i = 0; i < parts; i++) {
            long first = i * per;
            out[i] = new IdxPartition(first, Math.min(per, layout.count() - first));
        }
        return out;
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        // Hadoop's Configuration is not serializable: Spark's wrapper ships it to the executors.
        SerializableConfiguration conf = new SerializableConfiguration(SparkSession.active().sparkContext().hadoopConfiguration());
        return new IdxReaderFactory(options, layout, required, conf);
    }
}
