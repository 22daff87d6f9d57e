package org.sparkvae.data.source;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.IdxReader;
import org.sparkvae.data.IdxTestFiles;
import org.sparkvae.data.LabelledImages;
import org.sparkvae.data.MnistFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.sparkvae.spark.TestSpark;

/** {@code spark.read.format("idx")} on the MNIST slice and on crafted files: values, partitions, pruning, errors. */
class IdxDataSourceTest {
    private static SparkSession spark;
    private static String slice;
    private static LabelledImages train;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        spark = TestSpark.local("idx-source-test", 2);
        slice = Path.of(IdxDataSourceTest.class.getResource("/mnist-slice").toURI()).toString();
        train = new MnistFiles(slice).read28x28(MnistFiles.Split.TRAIN);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void readsTheSameImagesAndLabelsAsTheDriverReaderInEitherMode() {
        for (DataMode mode : DataMode.values()) {
            Dataset<Row> df = spark.read().format("idx").option("mode", mode.cliName()).load(slice);
            assertEquals("struct<index:bigint,label:int,features:vector>", df.schema().simpleString());
            assertEquals(mode.cliName(), df.schema().apply("features").metadata().getString("data_mode"));
            List<Row> rows = df.orderBy("index").collectAsList();
            assertEquals(train.size(), rows.size());
            float[] expected = train.features(mode);
            for (Row r : rows) {
                int i = (int) r.getLong(0);
                assertEquals(train.labels()[i] & 0xFF, r.getInt(1), "label " + i);
                Vector v = r.getAs(2);
                assertEquals(784, v.size());
                for (int p = 0; p < 784; p++) {
                    assertEquals(expected[i * 784 + p], v.apply(p), 0.0, "image " + i + " pixel " + p);
                }
            }
        }
    }

    @Test
    void plainFilesSplitIntoRecordRangesAndAGzipIsOnePartition() throws Exception {
        IdxTestFiles.writeDataset(dir, 1000, 10);
        Dataset<Row> df = spark.read().format("idx").option("recordsPerPartition", "300").load(dir.toString());
        assertEquals(4, df.rdd().getNumPartitions());
        List<Row> rows = df.select("index", "label").collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getLong(0), "records in file order across partitions");
            assertEquals(i % 10, rows.get(i).getInt(1));
        }
        assertEquals(1, spark.read().format("idx").option("recordsPerPartition", "300").load(slice).rdd().getNumPartitions());
        assertEquals(10, spark.read().format("idx").option("split", "test").load(dir.toString()).count());
        // An images file given by path finds its labels twin.
        assertEquals(1000, spark.read().format("idx").load(dir.resolve(MnistFiles.TRAIN_IMAGES).toString()).count());
    }

    @Test
    void aCountOrALabelHistogramReadsNoPixels() throws Exception {
        // Pixels that cannot be read (a gzip cut short) do not matter to a scan that does not need them.
        byte[] whole = IdxTestFiles.images(IdxReader.IMAGES_MAGIC, 500, 28, 28, 500 * 784);
        Path gz = IdxTestFiles.write(dir, "cut-images-idx3-ubyte.gz", whole);
        byte[] compressed = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(compressed, compressed.length / 2));
        IdxTestFiles.write(dir, "cut-labels-idx1-ubyte", IdxTestFiles.labels(IdxReader.LABELS_MAGIC, 500, 500));
        Dataset<Row> df = spark.read().format("idx").load(gz.toString());
        assertEquals(500, df.count());
        assertEquals(10, df.groupBy("label").count().count());
        Exception e = assertThrows(Exception.class, () -> df.select("features").collectAsList());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().startsWith(gz + ": truncated: header promises 500 images of 28x28"), root.getMessage());
    }

    @Test
    void aLabelOutsideTheDeclaredClassesFailsTheReadWithOneLine() throws Exception {
        IdxTestFiles.writeDataset(dir, 30, 5); // labels 0..9
        Dataset<Row> ten = spark.read().format("idx").option("classes", "10").load(dir.toString());
        assertEquals(10L, ten.schema().apply("label").metadata().getLong("classes"));
        assertEquals(30, ten.select("label").collectAsList().size());
        Exception e = assertThrows(Exception.class,
                () -> spark.read().format("idx").option("classes", "7").load(dir.toString()).select("label").collectAsList());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertEquals(dir.resolve(MnistFiles.TRAIN_LABELS) + ": label 7 of record 7 is outside the declared 7 classes (0..6)",
                root.getMessage());
        assertEquals("idx data source: option classes must be a whole number in 1..256 (labels are bytes), got 2.5",
                message(() -> spark.read().format("idx").option("classes", "2.5").load(slice)));
    }

    @Test
    void theExecutorChecksumIsTheDriverReadersChecksum() throws Exception {
        String gz = new MnistFiles(slice).resolve(MnistFiles.TRAIN_IMAGES);
        assertEquals(train.images().contentMd5(), IdxChecksum.md5(spark, gz));
        IdxTestFiles.writeDataset(dir, 50, 5);
        LabelledImages plain = new MnistFiles(dir.toString()).read28x28(MnistFiles.Split.TRAIN);
        assertEquals(plain.images().contentMd5(), IdxChecksum.md5(spark, dir.resolve(MnistFiles.TRAIN_IMAGES).toString()));
    }

    @Test
    void badFilesAndOptionsAreRefusedOnTheDriverWithOneLine() throws Exception {
        IdxTestFiles.write(dir, "a-images-idx3-ubyte", IdxTestFiles.images(IdxReader.IMAGES_MAGIC, 10, 28, 28, 9 * 784));
        IdxTestFiles.write(dir, "a-labels-idx1-ubyte", IdxTestFiles.labels(IdxReader.LABELS_MAGIC, 10, 10));
        IdxTestFiles.write(dir, "b-images-idx3-ubyte", IdxTestFiles.images(IdxReader.IMAGES_MAGIC, 10, 28, 28, 10 * 784));
        IdxTestFiles.write(dir, "b-labels-idx1-ubyte", IdxTestFiles.labels(IdxReader.LABELS_MAGIC, 9, 9));
        IdxTestFiles.write(dir, "c-images-idx3-ubyte", IdxTestFiles.labels(IdxReader.LABELS_MAGIC, 10, 10));
        IdxTestFiles.write(dir, "c-labels-idx1-ubyte", IdxTestFiles.labels(IdxReader.LABELS_MAGIC, 10, 10));
        String a = dir.resolve("a-images-idx3-ubyte").toString();
        assertEquals(a + ": truncated: header promises 10 images of 28x28 (7840 bytes) but the file holds 7056",
                message(() -> spark.read().format("idx").load(a)));
        String b = dir.resolve("b-images-idx3-ubyte").toString();
        assertEquals(dir.resolve("b-labels-idx1-ubyte") + ": 9 labels but " + b + " holds 10 images",
                message(() -> spark.read().format("idx").load(b)));
        assertTrue(message(() -> spark.read().format("idx").load(dir.resolve("c-images-idx3-ubyte").toString()))
                .endsWith("; this looks like a labels file"));
        assertEquals("idx data source: option mode must be binary or continuous, got 'grey'",
                message(() -> spark.read().format("idx").option("mode", "grey").load(slice)));
        assertEquals("idx data source: option threshold must be in [0, 1), got 2.0",
                message(() -> spark.read().format("idx").option("threshold", "2").load(slice)));
        String none = message(() -> spark.read().format("idx").load(dir.resolve("nothing").toString()));
        assertTrue(none.endsWith(": no such file"), none);
    }

    private static String message(Runnable r) {
        Exception e = assertThrows(Exception.class, r::run);
        return e.getMessage();
    }
}
