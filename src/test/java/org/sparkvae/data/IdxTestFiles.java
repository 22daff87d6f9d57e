package org.sparkvae.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files, well-formed or deliberately broken, for tests. */
public final class IdxTestFiles {
    private IdxTestFiles() { }

    public static byte[] images(int magic, int count, int rows, int cols, int bodyBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < bodyBytes; i++) {
            out.writeByte(i * 37);
        }
        return bytes.toByteArray();
    }

    public static byte[] labels(int magic, int count, int bodyBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        for (int i = 0; i < bodyBytes; i++) {
            out.writeByte(i % 10);
        }
        return bytes.toByteArray();
    }

    public static Path write(Path dir, String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(content);
            }
        } else {
            Files.write(p, content);
        }
        return p;
    }

    /** A complete, valid dataset directory of n 28x28 images per split. */
    public static void writeDataset(Path dir, int nTrain, int nTest) throws IOException {
        write(dir, MnistFiles.TRAIN_IMAGES, images(IdxReader.IMAGES_MAGIC, nTrain, 28, 28, nTrain * 784));
        write(dir, MnistFiles.TRAIN_LABELS, labels(IdxReader.LABELS_MAGIC, nTrain, nTrain));
        write(dir, MnistFiles.TEST_IMAGES, images(IdxReader.IMAGES_MAGIC, nTest, 28, 28, nTest * 784));
        write(dir, MnistFiles.TEST_LABELS, labels(IdxReader.LABELS_MAGIC, nTest, nTest));
    }
}
