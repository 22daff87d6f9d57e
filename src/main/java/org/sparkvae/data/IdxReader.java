package org.sparkvae.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format) from any Hadoop path: {@code file:}, {@code hdfs:}, {@code s3a:}.
 * A name ending in {@code .gz} is decompressed. Every structural fact is checked and a violation
 * is reported as an {@link IdxFormatException} naming the file: magic number, dimension count,
 * byte count, and (for pairs) image/label count agreement.
 */
public final class IdxReader {
    /** Magic of an unsigned-byte IDX file with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte IDX file with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private final Configuration hadoopConf;

    public IdxReader(Configuration hadoopConf) {
        this.hadoopConf = hadoopConf;
    }

    public IdxReader() {
        this(new Configuration());
    }

    public IdxImages readImages(String path) throws IOException {
        Opened o = open(path);
        try (DataInputStream in = o.in()) {
            return readImages(path, in, o.length());
        }
    }

    public byte[] readLabels(String path) throws IOException {
        Opened o = open(path);
        try (DataInputStream in = o.in()) {
            return readLabels(path, in, o.length());
        }
    }

    /** Reads images and labels and checks that they describe the same number of examples. */
    public LabelledImages readPair(String imagesPath, String labelsPath) throws IOException {
        IdxImages images = readImages(imagesPath);
        byte[] labels = readLabels(labelsPath);
        if (images.count() != labels.length) {
            throw new IdxFormatException(labelsPath, "holds " + labels.length + " labels but "
                    + imagesPath + " holds " + images.count() + " images");
        }
        return new LabelledImages(images, labels);
    }

    /** Parses an images file from a stream; {@code name} is used in error messages only. */
    public static IdxImages readImages(String name, InputStream stream) throws IOException {
        return readImages(name, stream, -1);
    }

    /** As {@link #readImages(String, InputStream)}; {@code fileLength} (-1: unknown, e.g. gzip) is checked against the header first. */
    static IdxImages readImages(String name, InputStream stream, long fileLength) throws IOException {
        DataInputStream in = stream instanceof DataInputStream d ? d : new DataInputStream(stream);
        int magic = readHeaderInt(name, in, "magic number");
        if (magic != IMAGES_MAGIC) {
            throw new IdxFormatException(name, String.format(
                    "wrong magic number 0x%08X, expected 0x%08X (unsigned-byte images, 3 dimensions)%s",
                    magic, IMAGES_MAGIC, magic == LABELS_MAGIC ? "; this looks like a labels file" : ""));
        }
        int count = readHeaderInt(name, in, "image count");
        int rows = readHeaderInt(name, in, "row count");
        int cols = readHeaderInt(name, in, "column count");
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IdxFormatException(name, "invalid dimensions " + count + "x" + rows + "x" + cols);
        }
        if ((long) rows * cols > Integer.MAX_VALUE) {
            throw new IdxFormatException(name, "invalid dimensions " + count + "x" + rows + "x" + cols + ": an image of "
                    + ((long) rows * cols) + " pixels");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Math.multiplyExact((long) count, (long) rows), (long) cols);
        } catch (ArithmeticException e) {
            // found by IdxReaderFuzzTest#imagesGzip: count*rows*cols overflowed a long and passed the size check
            throw new IdxFormatException(name, "invalid dimensions " + count + "x" + rows + "x" + cols + ": more bytes than any file holds");
        }
        byte[] pixels = readBody(name, in, bytes, fileLength < 0 ? -1 : fileLength - 16, count + " images of " + rows + "x" + cols);
        return new IdxImages(count, rows, cols, pixels);
    }

    /** Parses a labels file from a stream; {@code name} is used in error messages only. */
    public static byte[] readLabels(String name, InputStream stream) throws IOException {
        return readLabels(name, stream, -1);
    }

    static byte[] readLabels(String name, InputStream stream, long fileLength) throws IOException {
        DataInputStream in = stream instanceof DataInputStream d ? d : new DataInputStream(stream);
        int magic = readHeaderInt(name, in, "magic number");
        if (magic != LABELS_MAGIC) {
            throw new IdxFormatException(name, String.format(
                    "wrong magic number 0x%08X, expected 0x%08X (unsigned-byte labels, 1 dimension)%s",
                    magic, LABELS_MAGIC, magic == IMAGES_MAGIC ? "; this looks like an images file" : ""));
        }
        int count = readHeaderInt(name, in, "label count");
        if (count < 0) {
            throw new IdxFormatException(name, "negative label count " + count);
        }
        return readBody(name, in, count, fileLength < 0 ? -1 : fileLength - 8, count + " labels");
    }

    /** An open IDX stream and the file's length when it equals the IDX bytes' length (-1 for gzip). */
    private record Opened(DataInputStream in, long length) { }

    private Opened open(String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(hadoopConf);
        FileStatus status;
        try {
            status = fs.getFileStatus(p);
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.FileNotFoundException(path + ": no such file");
        }
        if (status.isDirectory()) {
            throw new IdxFormatException(path, "is a directory, not an IDX file");
        }
        FSDataInputStream raw = fs.open(p);
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        if (path.endsWith(".gz")) {
            try {
                // No buffer after the inflater: a stream that breaks off then reports exactly what it delivered.
                in = new GZIPInputStream(in, 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new IdxFormatException(path, "not a valid gzip file (" + e.getMessage() + ")");
            }
        }
        return new Opened(new DataInputStream(in), path.endsWith(".gz") ? -1 : status.getLen());
    }

    private static int readHeaderInt(String name, DataInputStream in, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(name, "truncated header: file ends before the " + what);
        } catch (java.util.zip.ZipException e) {
            // found by IdxReaderFuzzTest#imagesGzip: a damaged deflate block inside the header escaped as ZipException
            throw new IdxFormatException(name, "corrupt gzip data in the header, before the " + what + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads the {@code claimed} body bytes the header promises. Nothing is allocated from the claim alone:
     * a known body length must match it exactly (checked before reading), and a stream of unknown length
     * (gzip) fills a buffer that grows only as bytes arrive, so a lying header costs what the file really
     * holds. Bodies larger than a quarter of the heap are refused up front.
     */
    private static byte[] readBody(String name, DataInputStream in, long claimed, long knownBody, String expected)
            throws IOException {
        if (knownBody >= 0 && knownBody != claimed) {
            throw new IdxFormatException(name, (knownBody < claimed ? "truncated: " : "trailing bytes: ") + "header promises "
                    + expected + " (" + claimed + " bytes) but the file holds " + Math.max(0, knownBody));
        }
        long limit = Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 4);
        if (claimed > limit) {
            throw new IdxFormatException(name, "header promises " + expected + " (" + claimed + " bytes), more than this "
                    + "JVM can hold (" + limit + " bytes: a quarter of its heap; raise SPARK_VAE_JAVA_MEM)");
        }
        byte[] buf = new byte[(int) Math.min(claimed, 1 << 20)];
        int read = 0;
        try {
            while (read < claimed) {
                if (read == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, (int) Math.min(claimed, 2L * buf.length));
                }
                // Small reads, so a gzip stream that breaks off mid-way still reports what it delivered.
                int n = in.read(buf, read, Math.min(buf.length - read, 1 << 16));
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (java.util.zip.ZipException e) {
            throw new IdxFormatException(name, "corrupt gzip data after " + read + " bytes (" + e.getMessage() + ")");
        } catch (EOFException e) {
            // GZIPInputStream reports a cut-off stream as EOFException: same as a short file.
        }
        if (read < claimed) {
            throw new IdxFormatException(name, "truncated: header promises " + expected + " ("
                    + claimed + " bytes) but the file holds only " + read);
        }
        int next;
        try {
            next = in.read();
        } catch (java.util.zip.ZipException e) {
            throw new IdxFormatException(name, "corrupt gzip data after " + expected + " (" + e.getMessage() + ")");
        } catch (EOFException e) {
            // the deflate data ended but the gzip trailer (CRC, size) is cut short: nothing checked the bytes
            throw new IdxFormatException(name, "truncated gzip file: its trailer is missing after " + expected);
        }
        if (next >= 0) {
            throw new IdxFormatException(name, "trailing bytes after " + expected
                    + ": the header does not match the file size");
        }
        return buf;
    }
}
