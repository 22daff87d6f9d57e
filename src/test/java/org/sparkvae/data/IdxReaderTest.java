package org.sparkvae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkvae.data.IdxReader.IMAGES_MAGIC;
import static org.sparkvae.data.IdxReader.LABELS_MAGIC;

class IdxReaderTest {
    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader();

    private IdxFormatException failsImages(byte[] content, String name) throws IOException {
        Path p = IdxTestFiles.write(dir, name, content);
        return assertThrows(IdxFormatException.class, () -> reader.readImages(p.toString()));
    }

    @Test
    void readsPlainAndGzipIdentically() throws IOException {
        byte[] content = IdxTestFiles.images(IMAGES_MAGIC, 3, 2, 4, 24);
        IdxImages plain = reader.readImages(IdxTestFiles.write(dir, "a-idx3-ubyte", content).toString());
        IdxImages gz = reader.readImages(IdxTestFiles.write(dir, "b-idx3-ubyte.gz", content).toString());
        assertEquals(3, plain.count());
        assertEquals(2, plain.rows());
        assertEquals(4, plain.cols());
        assertArrayEquals(plain.pixels(), gz.pixels());
        // pixels are unsigned: byte 5*37=185 reads back as 185, not -71
        assertEquals(185, plain.pixel(0, 5));
    }

    @Test
    void hadoopFileUriWorks() throws IOException {
        Path p = IdxTestFiles.write(dir, "l-idx1-ubyte", IdxTestFiles.labels(LABELS_MAGIC, 4, 4));
        assertArrayEquals(new byte[] {0, 1, 2, 3}, reader.readLabels(p.toUri().toString()));
    }

    @Test
    void truncatedBodyIsReportedWithCounts() throws IOException {
        IdxFormatException e = failsImages(IdxTestFiles.images(IMAGES_MAGIC, 10, 28, 28, 5000), "t-idx3-ubyte");
        assertTrue(e.getMessage().contains("t-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("7840") && e.getMessage().contains("5000"), e.getMessage());
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        Path full = IdxTestFiles.write(dir, "full.gz", IdxTestFiles.images(IMAGES_MAGIC, 10, 28, 28, 7840));
        byte[] gz = Files.readAllBytes(full);
        Path cut = dir.resolve("cut-idx3-ubyte.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.readImages(cut.toString()));
        assertTrue(e.getMessage().contains("cut-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        IdxFormatException e = failsImages(new byte[] {0, 0, 8, 3, 0, 0}, "h-idx3-ubyte");
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void wrongMagicIsReportedAndLabelsFileRecognised() throws IOException {
        IdxFormatException e = failsImages(IdxTestFiles.labels(LABELS_MAGIC, 4, 4), "swapped-idx3-ubyte");
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("labels file"), e.getMessage());
        Path img = IdxTestFiles.write(dir, "img", IdxTestFiles.images(IMAGES_MAGIC, 1, 1, 1, 1));
        IdxFormatException e2 = assertThrows(IdxFormatException.class, () -> reader.readLabels(img.toString()));
        assertTrue(e2.getMessage().contains("images file"), e2.getMessage());
    }

    @Test
    void trailingBytesAreReported() throws IOException {
        IdxFormatException e = failsImages(IdxTestFiles.images(IMAGES_MAGIC, 1, 2, 2, 6), "long-idx3-ubyte");
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void invalidDimensionsAreReported() throws IOException {
        IdxFormatException e = failsImages(IdxTestFiles.images(IMAGES_MAGIC, 1, 0, 28, 0), "zero-idx3-ubyte");
        assertTrue(e.getMessage().contains("invalid dimensions"), e.getMessage());
    }

    @Test
    void countMismatchBetweenImagesAndLabels() throws IOException {
        Path im = IdxTestFiles.write(dir, "i", IdxTestFiles.images(IMAGES_MAGIC, 3, 2, 2, 12));
        Path lb = IdxTestFiles.write(dir, "l", IdxTestFiles.labels(LABELS_MAGIC, 2, 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.readPair(im.toString(), lb.toString()));
        assertTrue(e.getMessage().contains("2 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void non28x28ImagesAreRefusedByTheDatasetReader() throws IOException {
        IdxTestFiles.write(dir, MnistFiles.TRAIN_IMAGES, IdxTestFiles.images(IMAGES_MAGIC, 2, 32, 32, 2 * 1024));
        IdxTestFiles.write(dir, MnistFiles.TRAIN_LABELS, IdxTestFiles.labels(LABELS_MAGIC, 2, 2));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> new MnistFiles(dir.toString()).read28x28(MnistFiles.Split.TRAIN));
        assertTrue(e.getMessage().contains("32x32") && e.getMessage().contains("28x28"), e.getMessage());
    }

    @Test
    void missingDirectoryAndFileAreNamed() {
        Exception e = assertThrows(java.io.FileNotFoundException.class,
                () -> new MnistFiles(dir.resolve("nope").toString()).read(MnistFiles.Split.TEST));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Exception e2 = assertThrows(java.io.FileNotFoundException.class,
                () -> new MnistFiles(dir.toString()).read(MnistFiles.Split.TEST));
        assertTrue(e2.getMessage().contains("missing t10k-images-idx3-ubyte"), e2.getMessage());
    }

    @Test
    void realMnistSliceParsesWithKnownLabels() throws Exception {
        Path slice = Path.of(getClass().getResource("/mnist-slice").toURI());
        MnistFiles files = new MnistFiles(slice.toString());
        LabelledImages train = files.read28x28(MnistFiles.Split.TRAIN);
        LabelledImages test = files.read28x28(MnistFiles.Split.TEST);
        assertEquals(2000, train.size());
        assertEquals(500, test.size());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9}, java.util.stream.IntStream.range(0, 5).map(train::label).toArray());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, java.util.stream.IntStream.range(0, 5).map(test::label).toArray());
    }

    private static byte[] header(int... ints) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * ints.length);
        for (int v : ints) {
            b.putInt(v);
        }
        return b.array();
    }

    /** Trust issue row 8: headers that claim gigabytes are refused from the file length, before any allocation. */
    @Test
    void headerBombsOnPlainFilesAreRefusedFromTheFileLength() throws IOException {
        byte[] labels = java.util.Arrays.copyOf(header(LABELS_MAGIC, Integer.MAX_VALUE), 14);
        Path l = Files.write(dir.resolve("bomb-idx1-ubyte"), labels);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.readLabels(l.toString()));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("holds 6"), e.getMessage());
        // Just under 2 GiB of pixels promised, 2.4 KB present.
        byte[] images = java.util.Arrays.copyOf(header(IMAGES_MAGIC, 2_700_000, 28, 28), 16 + 2400);
        Path im = Files.write(dir.resolve("bomb-idx3-ubyte"), images);
        long before = usedHeap();
        IdxFormatException e2 = assertThrows(IdxFormatException.class, () -> reader.readImages(im.toString()));
        assertTrue(e2.getMessage().contains("holds 2400"), e2.getMessage());
        assertTrue(usedHeap() - before < 100_000_000, "no 2 GB buffer was allocated");
    }

    /** A gzip whose header lies: the buffer grows with the bytes that really arrive, and stops at the claim. */
    @Test
    void headerBombsInGzipCostOnlyWhatTheStreamHolds() throws IOException {
        // Header: 300,000 images (235 MB, within the test JVM's limit); stream: 3 MB of pixels.
        Path shortGz = dir.resolve("short-idx3-ubyte.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(shortGz))) {
            out.write(header(IMAGES_MAGIC, 300_000, 28, 28));
            out.write(new byte[3_000_000]);
        }
        long before = usedHeap();
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.readImages(shortGz.toString()));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("holds only 3000000"), e.getMessage());
        assertTrue(usedHeap() - before < 100_000_000, "the buffer grew with the data, not to the header's 235 MB");
        // A claim beyond what the heap can hold is refused before reading.
        Path hugeGz = dir.resolve("huge-idx3-ubyte.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(hugeGz))) {
            out.write(header(IMAGES_MAGIC, 2_700_000, 28, 28));
        }
        assertTrue(assertThrows(IdxFormatException.class, () -> reader.readImages(hugeGz.toString())).getMessage()
                .contains("more than this JVM can hold"));
        // Header: 10 images; stream: 50 MB (a 50 KB gzip). Reading stops after the claim.
        Path longGz = dir.resolve("long-idx3-ubyte.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(longGz))) {
            out.write(header(IMAGES_MAGIC, 10, 28, 28));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 50; i++) {
                out.write(zeros);
            }
        }
        IdxFormatException e2 = assertThrows(IdxFormatException.class, () -> reader.readImages(longGz.toString()));
        assertTrue(e2.getMessage().contains("trailing bytes"), e2.getMessage());
    }

    /** Trust issue row 11: a gzip cut in half reports the bytes it did deliver, not 0. */
    @Test
    void truncatedGzipSaysHowMuchItHeld() throws IOException {
        byte[] content = IdxTestFiles.images(IMAGES_MAGIC, 1000, 28, 28, 784_000);
        new java.util.Random(1).nextBytes(java.util.Arrays.copyOfRange(content, 16, content.length));
        java.util.Random r = new java.util.Random(1);
        for (int i = 16; i < content.length; i++) {
            content[i] = (byte) r.nextInt(256); // incompressible: half the gzip is about half the pixels
        }
        Path full = IdxTestFiles.write(dir, "full.gz", content);
        byte[] gz = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("half-idx3-ubyte.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.readImages(cut.toString()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("holds only (\\d+)").matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        long held = Long.parseLong(m.group(1));
        assertTrue(held > 300_000 && held < 400_000, e.getMessage());
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
