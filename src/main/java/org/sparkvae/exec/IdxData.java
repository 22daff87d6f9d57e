package org.sparkvae.exec;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkvae.data.ImageShape;
import org.sparkvae.model.Features;
import org.sparkvae.spark.SplitData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** An IDX split, or its first {@code n} images: the driver's matrix in one JVM, the {@code idx} source's rows on Spark. */
final class IdxData implements TrainingData {
    private final SplitData split;
    private final Supplier<SparkSession> session; // null in one JVM; started when first needed
    private final long n;
    private final Memo memo;

    /** What the split and its heads share: the driver's matrix (one per split) and the frames already built. */
    private static final class Memo {
        INDArray all;
        final Map<String, Dataset<Row>> frames = new HashMap<>();
    }

    IdxData(SplitData split, Supplier<SparkSession> session) {
        this(split, session, split.count(), new Memo());
    }

    private IdxData(SplitData split, Supplier<SparkSession> session, long n, Memo memo) {
        this.split = split;
        this.session = session;
        this.n = n;
        this.memo = memo;
    }

    @Override
    public long count() {
        return n;
    }

    @Override
    public ImageShape shape() {
        return ImageShape.MNIST;
    }

    @Override
    public int inputSize() {
        return ImageShape.MNIST.pixels();
    }

    @Override
    public String md5() {
        // Executor-read files: one executor task computes it when first asked (a run asks once its inputs are checked
        // and its lock is held, so a refused run never starts Spark).
        return split.executorsRead() ? split.md5(session.get()) : split.md5();
    }

    @Override
    public String location() {
        return split.files().dir();
    }

    @Override
    public String description() {
        md5(); // the name comes from the checksum, computed by an executor when they read the files
        return split.datasetName();
    }

    @Override
    public TrainingData head(long images) {
        return images >= n ? this : new IdxData(split, session, images, memo);
    }

    @Override
    public Dataset<Row> frame(int partitions) {
        if (session == null) {
            throw new IllegalStateException("opened in one JVM: use matrix(); rows come from a Spark backend's split");
        }
        // Built once per shape and reused (every epoch's test ELBO): driver-read images are shipped only once.
        return memo.frames.computeIfAbsent(n + "/" + partitions, k -> {
            try {
                return n == split.count() ? split.frame(session.get(), partitions) : split.head(session.get(), n, partitions);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The rows a training over {@code workers} reads: the source's own ranges when the executors read a whole split
     * (the trainer repartitions them by index for its workers), else one range or chunk per worker.
     */
    Dataset<Row> trainingFrame(int workers) {
        return frame(split.executorsRead() && n == split.count() ? 0 : workers);
    }

    @Override
    public INDArray matrix() {
        if (split.driverImages() == null) {
            throw new IllegalStateException("the executors read this split; it has no matrix in the driver");
        }
        if (memo.all == null) {
            memo.all = Features.of(split.driverImages(), split.mode());
        }
        return n == split.count() ? memo.all : memo.all.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }
}
