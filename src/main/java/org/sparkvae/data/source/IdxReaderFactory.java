package org.sparkvae.data.source;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/** Sent to the executors: everything a task needs to open its byte ranges. */
record IdxReaderFactory(IdxOptions options, IdxLayout layout, StructType required, SerializableConfiguration conf)
        implements PartitionReaderFactory {
    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new IdxPartitionReader(options, layout, required, conf.value(), (IdxPartition) partition);
    }
}
