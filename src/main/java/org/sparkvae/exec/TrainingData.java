package org.sparkvae.exec;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.data.ImageShape;
import org.sparkvae.data.KnownDataset;
import org.sparkvae.spark.FrameData;

/**
 * The images a run trains or evaluates on, whatever they come from: an IDX split (read by the driver or by the
 * executors) or rows from any Spark data source. What a run needs to know of them (count, image shape, D, the
 * checksum and where they came from) is known when this is created, before any epoch; the numbers themselves are
 * reached only by an {@link ExecutionBackend}: {@link #frame} on Spark, {@link #matrix} in one JVM. Created by
 * {@link ExecutionBackend#split} and {@link ExecutionBackend#rows}.
 */
public interface TrainingData {
    long count();

    /** The images' height x width, or null when unknown (rows from a source that gave none). */
    ImageShape shape();

    /** Values per image (D). */
    int inputSize();

    /**
     * The IDX images' checksum (of the whole file, also for a {@link #head}), or null for other sources. Known to every
     * caller that asks; where the executors read the files, the first call has one executor task compute it.
     */
    String md5();

    /** The dataset the checksum identifies ({@code mnist}, ...), or null. */
    default String datasetCliName() {
        String md5 = md5();
        KnownDataset known = md5 == null ? null : KnownDataset.identify(md5);
        return known == null ? null : known.cliName();
    }

    /** Where the images came from: the IDX directory or the source's path. */
    String location();

    /** How the run's first line names them: "mnist", "parquet, 784 values per row (28x28)". */
    String description();

    /** The first {@code n} images (this when {@code n >= count()}). */
    TrainingData head(long n);

    /** The images as {@code (index, features array<float>, ...)} rows in about {@code partitions} partitions (0: the source's own). */
    Dataset<Row> frame(int partitions);

    /** The images as a matrix [n, D] in this JVM (driver-read IDX data only). */
    INDArray matrix();

    /** Rows from a Spark data source, read and checked by {@link FrameData} ({@code format}: the source's name). */
    static TrainingData rows(FrameData rows, String format) {
        return new FrameRows(rows.frame(), rows.count(), rows.inputSize(), rows.shape(), new FrameRows.Origin(rows.path(), null, format));
    }

    /**
     * A caller's DataFrame of {@code (index, features array<float>)} (a Spark ML fit): its D, its image shape or null,
     * and what its column metadata says of its origin (the IDX directory and checksum, or nulls).
     */
    static TrainingData rows(Dataset<Row> frame, int inputSize, ImageShape shape, String location, String md5) {
        return new FrameRows(frame, null, inputSize, shape, new FrameRows.Origin(location, md5, "rows"));
    }
}
