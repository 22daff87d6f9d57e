package org.sparkvae.data.source;

import org.apache.spark.sql.connector.read.InputPartition;

/** A range of records [first, first + count) of the IDX pair: what one task reads. */
record IdxPartition(long first, long count) implements InputPartition { }
