package org.sparkvae.data.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkvae.data.IdxFormatException;
import org.sparkvae.data.IdxReader;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.zip.GZIPInputStream;

/**
 * What the driver learns about an IDX images/labels pair from the two headers and the file lengths alone
 * (no pixel is read): count, image shape, and where each record starts. Validates magic numbers, dimensions,
 * counts, that plain files hold exactly header + N records, and that images and labels agree — with
 * {@link IdxReader}'s wording, so one error reads the same wherever it is found.
 *
 * @param imagesLength the images file's length, or -1 for gzip (unknown until read: checked by the executor)
 */
public record IdxLayout(String imagesPath, String labelsPath, long count, int rows, int cols, long imagesLength,
                        long labelsLength) implements Serializable {
    static final int IMAGES_HEADER = 16;
    static final int LABELS_HEADER = 8;

    public int recordSize() {
        return rows * cols;
    }

    public boolean gzipped() {
        return imagesPath.endsWith(".gz") || labelsPath.endsWith(".gz");
    }

    /** Reads and checks both headers. */
    public static IdxLayout read(String imagesPath, String labelsPath, Configuration conf) throws IOException {
        long[] img = new long[4];
        long imagesLength = header(imagesPath, conf, img, true);
        long[] lab = new long[2];
        long labelsLength = header(labelsPath, conf, lab, false);
        long count = img[1];
        int rows = (int) img[2];
        int cols = (int) img[3];
        long bytes = count * rows * cols;
        if (imagesLength >= 0 && imagesLength - IMAGES_HEADER != bytes) {
            long held = Math.max(0, imagesLength - IMAGES_HEADER);
            throw new IdxFormatException(imagesPath, (held < bytes ? "truncated: " : "trailing bytes: ") + "header promises "
                    + count + " images of " + rows + "x" + cols + " (" + bytes + " bytes) but the file holds " + held);
        }
        if (labelsLength >= 0 && labelsLength - LABELS_HEADER != lab[1]) {
            long held = Math.max(0, labelsLength - LABELS_HEADER);
            throw new IdxFormatException(labelsPath, (held < lab[1] ? "truncated: " : "trailing bytes: ") + "header promises "
                    + lab[1] + " labels (" + lab[1] + " bytes) but the file holds " + held);
        }
        if (lab[1] != count) {
            throw new IdxFormatException(labelsPath, lab[1] + " labels but " + imagesPath + " holds " + count + " images");
        }
        return new IdxLayout(imagesPath, labelsPath, count, rows, cols, imagesLength, labelsLength);
    }

    /** Fills {@code out} with the header's ints (magic, then dimensions); returns the plain file's length or -1 for gzip. */
    private static long header(String path, Configuration conf, long[] out, boolean images) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus status;
        try {
            status = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(path + ": no such file");
        }
        if (status.isDirectory()) {
            throw new IdxFormatException(path, "is a directory, not an IDX file");
        }
        boolean gz = path.endsWith(".gz");
        try (FSDataInputStream raw = fs.open(p)) {
            InputStream in = raw;
            if (gz) {
                try {
                    in = new GZIPInputStream(raw, 1 << 12);
                } catch (IOException e) {
                    throw new IdxFormatException(path, "not a valid gzip file (" + e.getMessage() + ")");
                }
            }
            DataInputStream d = new DataInputStream(in);
            String[] what = images ? new String[] {"magic number", "image count", "row count", "column count"}
                    : new String[] {"magic number", "label count"};
            for (int i = 0; i < out.length; i++) {
                try {
                    out[i] = d.readInt();
                } catch (EOFException e) {
                    throw new IdxFormatException(path, "truncated header: file ends before the " + what[i]);
                }
            }
        }
        int magic = (int) out[0];
        int expected = images ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC;
        if (magic != expected) {
            int other = images ? IdxReader.LABELS_MAGIC : IdxReader.IMAGES_MAGIC;
            throw new IdxFormatException(path, String.format("wrong magic number 0x%08X, expected 0x%08X (%s)%s", magic, expected,
                    images ? "unsigned-byte images, 3 dimensions" : "unsigned-byte labels, 1 dimension",
                    magic == other ? (images ? "; this looks like a labels file" : "; this looks like an images file") : ""));
        }
        if (images && (out[1] < 0 || out[2] <= 0 || out[3] <= 0 || out[2] * out[3] > 1 << 24)) {
            throw new IdxFormatException(path, "invalid dimensions " + out[1] + "x" + out[2] + "x" + out[3]);
        }
        if (!images && out[1] < 0) {
            throw new IdxFormatException(path, "negative label count " + out[1]);
        }
        return gz ? -1 : status.getLen();
    }
}
