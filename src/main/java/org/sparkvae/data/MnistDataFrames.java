package org.sparkvae.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.sparkvae.data.source.IdxDataSource;

/**
 * Loads an MNIST split from any Hadoop path into a DataFrame {@code (index long, label int,
 * features array<float>)}, partitioned for the executors. The {@code features} column's metadata
 * records the data mode, image shape and the IDX checksum.
 *
 * <p>The driver reads and validates the IDX pair with {@link IdxReader} (one clear error for a bad
 * file), then ships the raw bytes — 1 byte per pixel, a quarter of the float size — in one chunk per
 * partition; executors expand them to model inputs. Labels are paired with images by index here,
 * once. Optionally the DataFrame is cached as Parquet and reused when mode and checksum match.
 */
public final class MnistDataFrames {
    public static final String INDEX = "index";
    public static final String LABEL = "label";
    public static final String FEATURES = "features";

    private MnistDataFrames() { }

    public static StructType schema(DataMode mode, int rows, int cols, String md5) {
        Metadata meta = new MetadataBuilder().putString(FeatureColumn.DATA_MODE, mode.cliName()).putLong(FeatureColumn.ROWS, rows)
                .putLong(FeatureColumn.COLS, cols).putString(FeatureColumn.IDX_MD5, md5).build();
        return new StructType(new StructField[] {
                DataTypes.createStructField(INDEX, DataTypes.LongType, false),
                DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
                new StructField(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false, meta)});
    }

    /**
     * Raw pixels and labels of a contiguous range of examples. A plain class, not a record: Spark's
     * Kryo 4 cannot build a serializer for Java records.
     */
    static final class Chunk implements Serializable {
        long firstIndex;
        int pixelsPerImage;
        byte[] pixels;
        byte[] labels;

        Chunk() { }

        Chunk(long firstIndex, int pixelsPerImage, byte[] pixels, byte[] labels) {
            this.firstIndex = firstIndex;
            this.pixelsPerImage = pixelsPerImage;
            this.pixels = pixels;
            this.labels = labels;
        }
    }

    public static Dataset<Row> fromImages(SparkSession spark, LabelledImages data, DataMode mode, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        IdxImages im = data.images();
        int n = data.size();
        int ppi = im.pixelsPerImage();
        List<Chunk> chunks = new ArrayList<>();
        int parts = Math.min(partitions, Math.max(1, n));
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            chunks.add(new Chunk(from, ppi, Arrays.copyOfRange(im.pixels(), from * ppi, to * ppi),
                    Arrays.copyOfRange(data.labels(), from, to)));
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(chunks, parts)
                .mapPartitions(it -> expand(it, mode));
        return spark.createDataFrame(rows, schema(mode, im.rows(), im.cols(), im.contentMd5()));
    }

    private static Iterator<Row> expand(Iterator<Chunk> chunks, DataMode mode) {
        List<Row> out = new ArrayList<>();
        while (chunks.hasNext()) {
            Chunk c = chunks.next();
            int count = c.labels.length;
            for (int i = 0; i < count; i++) {
                float[] f = new float[c.pixelsPerImage];
                int base = i * c.pixelsPerImage;
                for (int p = 0; p < f.length; p++) {
                    f[p] = mode.transform(c.pixels[base + p] & 0xFF);
                }
                out.add(RowFactory.create(c.firstIndex + i, c.labels[i] & 0xFF, f));
            }
        }
        return out.iterator();
    }

    /**
     * A split of an IDX directory read by the executors through the {@code idx} data source
     * ({@link org.sparkvae.data.source.IdxDataSource}), in this class's schema: {@code features} as {@code array<float>}
     * with the data mode, shape and {@code md5} (the images' checksum, for provenance) in its metadata;
     * {@code recordsPerPartition} 0 for the source's default (about 64 MB of pixels per task).
     */
    public static Dataset<Row> read(SparkSession spark, String dir, String split, DataMode mode, String md5,
                                    long recordsPerPartition) {
        return read(spark, dir, split, mode, md5, recordsPerPartition, 0);
    }

    /** As above with a declared class count ({@code classes} > 0: a label outside it fails the read). */
    public static Dataset<Row> read(SparkSession spark, String dir, String split, DataMode mode, String md5,
                                    long recordsPerPartition, int classes) {
        org.apache.spark.sql.DataFrameReader reader = spark.read().format(IdxDataSource.SHORT_NAME)
                .option("mode", mode.cliName()).option("split", split);
        if (recordsPerPartition > 0) {
            reader = reader.option("recordsPerPartition", recordsPerPartition);
        }
        if (classes > 0) {
            reader = reader.option("classes", classes);
        }
        Dataset<Row> df = reader.load(dir);
        Metadata source = df.schema().apply(FEATURES).metadata();
        Metadata meta = schema(mode, (int) source.getLong(FeatureColumn.ROWS), (int) source.getLong(FeatureColumn.COLS), md5).apply(FEATURES).metadata();
        return df.select(org.apache.spark.sql.functions.col(INDEX), org.apache.spark.sql.functions.col(LABEL),
                org.apache.spark.ml.functions.vector_to_array(org.apache.spark.sql.functions.col(FEATURES), "float32")
                        .as(FEATURES, meta));
    }

    /** The {@code features} value of a row (selected or full) as a float array. */
    public static float[] features(Row row, int column) {
        List<Object> values = row.getList(column);
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (Float) values.get(i);
        }
        return f;
    }

    /**
     * The images as a DataFrame, read from the Parquet copy under {@code parquetDir} when one exists for
     * the same data (split name, mode and IDX checksum are in the directory name), else converted and
     * written there for the next job. Returns the cached path's DataFrame either way.
     */
    public static Dataset<Row> loadCached(SparkSession spark, LabelledImages data, String splitName, DataMode mode,
                                          int partitions, String parquetDir) throws IOException {
        String md5 = data.images().contentMd5();
        String path = parquetDir + "/" + splitName + "-" + mode.cliName() + "-" + md5;
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        StructType schema = schema(mode, data.images().rows(), data.images().cols(), md5);
        String damage = ParquetCacheEntry.check(fs, p, data.images().count());
        if (damage != null) {
            if (fs.exists(p)) {
                // A disk that filled up, a copy cut short, a conversion killed before the rename of an older version:
                // rebuilt from the IDX files, so the cache never stays poisoned.
                System.err.println("spark-vae: warning: Parquet cache entry " + p + " " + damage + "; rebuilding it");
                try {
                    if (!fs.delete(p, true)) {
                        throw new IOException("delete returned false");
                    }
                } catch (IOException e) {
                    throw new IOException("the Parquet cache entry " + p + " " + damage + " and cannot be removed ("
                            + e.getMessage() + "): delete that directory, or pass another --parquet-cache");
                }
            }
            ParquetCacheEntry.write(fs, p, data.images().count(),
                    tmp -> fromImages(spark, data, mode, partitions).write().mode("overwrite").parquet(tmp.toString()));
        }
        // By index, sorted: a round-robin repartition fills each partition in shuffle-fetch order, which
        // is not fixed, and per-partition seeded noise would then meet other images on every run.
        return spark.read().schema(schema).parquet(path)
                .repartition(partitions, org.apache.spark.sql.functions.col(INDEX)).sortWithinPartitions(INDEX);
    }
}
