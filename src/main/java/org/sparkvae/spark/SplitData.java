package org.sparkvae.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.IdxFormatException;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistDataFrames;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.data.source.IdxChecksum;
import org.sparkvae.data.source.IdxLayout;

import java.io.IOException;
import java.util.Locale;
import org.sparkvae.data.KnownDataset;

/**
 * One split of an MNIST-style directory as a job needs it, checked before anything is written. On Spark the
 * executors read uncompressed files they can see (the {@code idx} data source): the driver reads only the two
 * headers and the file lengths, and one executor task computes the checksum once Spark is up — no pixel passes
 * through the driver and no task carries data. Otherwise (one JVM without Spark; gzip, whose truncation only a
 * full read finds; a local path that other hosts' executors cannot see; the Parquet cache) the driver reads and
 * checks the whole split first, as before. Every job (train and its per-epoch test ELBO, evaluate, project,
 * report, ppca) loads its data through this class.
 */
public final class SplitData {
    private final MnistFiles files;
    private final MnistFiles.Split split;
    private final DataMode mode;
    private final SparkSetup spark;
    private final LabelledImages driverImages;
    private final IdxLayout layout;
    private String md5;

    private SplitData(MnistFiles files, MnistFiles.Split split, DataMode mode, SparkSetup spark,
                      LabelledImages driverImages, IdxLayout layout) {
        this.files = files;
        this.split = split;
        this.mode = mode;
        this.spark = spark;
        this.driverImages = driverImages;
        this.layout = layout;
        this.md5 = driverImages == null ? null : driverImages.images().contentMd5();
    }

    /** The split, checked: headers and lengths when executors will read it ({@code spark} not null), else all of it. */
    public static SplitData check(MnistFiles files, MnistFiles.Split split, DataMode mode, SparkSetup spark) throws IOException {
        String images = files.resolve(split.images);
        String labels = files.resolve(split.labels);
        boolean executorsRead = spark != null && !images.endsWith(".gz") && !labels.endsWith(".gz")
                && spark.executorsReadWithoutCache(files.dir());
        if (!executorsRead) {
            return new SplitData(files, split, mode, spark, files.read28x28(split), null);
        }
        IdxLayout layout = IdxLayout.read(images, labels, new org.apache.hadoop.conf.Configuration());
        if (layout.rows() != 28 || layout.cols() != 28 || layout.count() == 0) {
            throw new IdxFormatException(images, layout.count() == 0 ? "holds no images"
                    : "images are " + layout.rows() + "x" + layout.cols() + ", spark-vae's models take 28x28");
        }
        return new SplitData(files, split, mode, spark, null, layout);
    }

    public MnistFiles files() {
        return files;
    }

    public DataMode mode() {
        return mode;
    }

    public boolean executorsRead() {
        return layout != null;
    }

    /** The images the driver read (one JVM, gzip, the cache), or null when the executors read them. */
    public LabelledImages driverImages() {
        return driverImages;
    }

    public long count() {
        return driverImages != null ? driverImages.size() : layout.count();
    }

    /** The images' checksum: known after the driver read them, or once {@link #frame} had an executor compute it. */
    public String md5() {
        return md5;
    }

    /** The images' checksum, computed now by one executor task when the executors read them and it is not known yet. */
    public String md5(SparkSession session) {
        if (md5 == null) {
            md5 = IdxChecksum.md5(session, layout.imagesPath());
        }
        return md5;
    }

    /** The dataset the checksum identifies ({@code mnist}, ...), or null when unknown or not yet computed. */
    public String datasetCliName() {
        KnownDataset known = md5 == null ? null : KnownDataset.identify(md5);
        return known == null ? null : known.cliName();
    }

    public String datasetName() {
        String n = datasetCliName();
        return n == null ? "unrecognised IDX dataset" : n;
    }

    /**
     * The split as a DataFrame {@code (index, label, features array<float>)} in {@code partitions} record ranges
     * (0: the data source's default of about 64 MB of pixels per task; driver-read images always need a count).
     * When the executors read, one executor task computes the checksum first.
     */
    public Dataset<Row> frame(SparkSession session, int partitions) throws IOException {
        if (driverImages != null) {
            return spark.frame(session, driverImages, splitName(), mode,
                    partitions > 0 ? partitions : session.sparkContext().defaultParallelism());
        }
        return executorRead(session, partitions > 0 ? Math.max(1, (layout.count() + partitions - 1) / partitions) : 0);
    }

    /**
     * The first {@code n} images (all when {@code n >= count()}) in {@code partitions} record ranges of their
     * own; the executors still read only their ranges.
     */
    public Dataset<Row> head(SparkSession session, long n, int partitions) throws IOException {
        if (n >= count()) {
            return frame(session, partitions);
        }
        if (driverImages != null) {
            return spark.frame(session, driverImages.head((int) n), splitName() + "-head" + n, mode, partitions);
        }
        // Ranges of the head's size: the first `partitions` ranges hold the head, later ones are filtered out whole.
        return executorRead(session, Math.max(1, (n + partitions - 1) / partitions))
                .where(org.apache.spark.sql.functions.col(MnistDataFrames.INDEX).lt(n));
    }

    /** The source's frame in ranges of {@code perPartition} records (0: its default); the checksum first, once. */
    private Dataset<Row> executorRead(SparkSession session, long perPartition) {
        return MnistDataFrames.read(session, SparkSetup.absolute(files.dir()), splitName(), mode, md5(session), perPartition,
                files.classes());
    }

    private String splitName() {
        return split.name().toLowerCase(Locale.ROOT);
    }
}
