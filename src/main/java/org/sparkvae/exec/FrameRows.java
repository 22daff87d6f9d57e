package org.sparkvae.exec;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.ImageShape;

/**
 * Rows from any Spark data source (or a caller's DataFrame), {@code (index, features array<float>)}: read by the
 * executors only, so they have no matrix in the driver. The count is taken when first asked (a Spark ML fit never asks).
 */
final class FrameRows implements TrainingData {
    private final Dataset<Row> frame;
    private final int inputSize;
    private final ImageShape shape;
    private final String location;
    private final String md5;
    private final String format;
    private Long count;

    FrameRows(Dataset<Row> frame, Long count, int inputSize, ImageShape shape, Origin origin) {
        this.frame = frame;
        this.count = count;
        this.inputSize = inputSize;
        this.shape = shape;
        this.location = origin.location();
        this.md5 = origin.md5();
        this.format = origin.format();
    }

    /** Where rows came from: a path (or null), the IDX checksum their metadata carries (or null), the source's format. */
    record Origin(String location, String md5, String format) {
    }

    @Override
    public long count() {
        if (count == null) {
            count = frame.count();
        }
        return count;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public String md5() {
        return md5;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public String description() {
        return format + ", " + inputSize + " values per row" + (shape == null ? "" : " (" + shape + ")");
    }

    @Override
    public TrainingData head(long n) {
        return n >= count() ? this : new FrameRows(frame.limit(Math.toIntExact(n)), n, inputSize, shape,
                new Origin(location, md5, format));
    }

    @Override
    public Dataset<Row> frame(int partitions) {
        return frame; // the source's own partitions
    }

    @Override
    public INDArray matrix() {
        throw new IllegalStateException("rows from a Spark data source are read by the executors; they have no matrix in the driver");
    }
}
