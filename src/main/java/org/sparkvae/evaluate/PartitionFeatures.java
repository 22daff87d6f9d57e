package org.sparkvae.evaluate;

import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.data.MnistDataFrames;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The bridge from a partition of a MNIST DataFrame to the model: its rows' features as one matrix. */
public final class PartitionFeatures {
    private PartitionFeatures() { }

    /** Rows whose column {@code column} holds the features, as one [n, D] matrix, or null when there are none. */
    public static INDArray matrix(List<Row> rows, int column) {
        if (rows.isEmpty()) {
            return null;
        }
        int d = MnistDataFrames.features(rows.get(0), column).length;
        float[] flat = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(MnistDataFrames.features(rows.get(i), column), 0, flat, i * d, d);
        }
        return Nd4j.create(flat, new long[] {rows.size(), d}, 'c');
    }

    /** A partition of single-column (features) rows as one matrix, or null when it is empty. */
    public static INDArray matrix(Iterator<Row> rows) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        return matrix(all, 0);
    }
}
