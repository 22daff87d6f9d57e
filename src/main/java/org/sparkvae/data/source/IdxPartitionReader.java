package org.sparkvae.data.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.sparkvae.data.IdxFormatException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one record range on an executor: opens the images (if {@code features} is needed) and the labels (if
 * {@code label} is needed) through Hadoop's FileSystem, seeks to the range (gzip: one partition from the start)
 * and streams it. A file that breaks off or changed since the driver read its header fails the task with the
 * same one-line {@link IdxFormatException} the driver would give.
 */
final class IdxPartitionReader implements PartitionReader<InternalRow> {
    private static final VectorUDT VECTORS = new VectorUDT();

    private final IdxLayout layout;
    private final IdxPartition part;
    private final int classes;
    private final int[] columns; // 0 index, 1 label, 2 features, in the required order
    private final double[] pixelValue = new double[256];
    private final DataInputStream images;
    private final DataInputStream labels;
    private final byte[] pixels;
    private final byte[] labelByte = new byte[1];
    private long next;
    private InternalRow row;

    IdxPartitionReader(IdxOptions options, IdxLayout layout, StructType required, Configuration conf, IdxPartition part) {
        this.layout = layout;
        this.part = part;
        this.classes = options.classes();
        String[] names = required.fieldNames();
        columns = new int[names.length];
        boolean needPixels = false;
        boolean needLabels = false;
        for (int i = 0; i < names.length; i++) {
            columns[i] = switch (names[i]) {
                case "index" -> 0;
                case "label" -> 1;
                case "features" -> 2;
                default -> throw new IllegalArgumentException("idx data source has no column " + names[i]);
            };
            needLabels |= columns[i] == 1;
            needPixels |= columns[i] == 2;
        }
        for (int p = 0; p < 256; p++) {
            pixelValue[p] = options.transform(p);
        }
        pixels = new byte[needPixels ? layout.recordSize() : 0];
        try {
            images = needPixels ? open(layout.imagesPath(), conf, IdxLayout.IMAGES_HEADER + part.first() * layout.recordSize()) : null;
            labels = needLabels ? open(layout.labelsPath(), conf, IdxLayout.LABELS_HEADER + part.first()) : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
        next = part.first();
    }

    private static DataInputStream open(String path, Configuration conf, long offset) throws IOException {
        Path p = new Path(path);
        FSDataInputStream raw = p.getFileSystem(conf).open(p);
        InputStream in;
        if (path.endsWith(".gz")) {
            try {
                in = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new IdxFormatException(path, "not a valid gzip file (" + e.getMessage() + ")");
            }
            in.skipNBytes(offset);
        } else {
            raw.seek(offset);
            in = raw;
        }
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    @Override
    public boolean next() throws IOException {
        if (next >= part.first() + part.count()) {
            return false;
        }
        if (images != null) {
            readFully(images, pixels, layout.imagesPath(), layout.count() + " images of " + layout.rows() + "x" + layout.cols());
        }
        int label = 0;
        if (labels != null) {
            readFully(labels, labelByte, layout.labelsPath(), layout.count() + " labels");
            label = labelByte[0] & 0xFF;
            if (classes > 0 && label >= classes) {
                throw IdxFormatException.labelOutside(layout.labelsPath(), label, next, classes);
            }
        }
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = switch (columns[i]) {
                case 0 -> next;
                case 1 -> label;
                default -> VECTORS.serialize(vector());
            };
        }
        row = new GenericInternalRow(values);
        next++;
        return true;
    }

    private DenseVector vector() {
        double[] v = new double[pixels.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = pixelValue[pixels[j] & 0xFF];
        }
        return new DenseVector(v);
    }

    private void readFully(DataInputStream in, byte[] buf, String path, String promised) throws IOException {
        try {
            in.readFully(buf);
        } catch (EOFException e) {
            throw new IdxFormatException(path, "truncated: header promises " + promised + " but the file ends at record " + next);
        } catch (ZipException e) {
            throw new IdxFormatException(path, "corrupt gzip data at record " + next + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public InternalRow get() {
        return row;
    }

    @Override
    public void close() throws IOException {
        if (images != null) {
            images.close();
        }
        if (labels != null) {
            labels.close();
        }
    }
}
