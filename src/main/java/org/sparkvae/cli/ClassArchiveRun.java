package org.sparkvae.cli;

import org.sparkvae.data.MnistFiles;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The jobs a user runs most ({@code train}, {@code evaluate}), once each, on a few hundred generated images, so that
 * the JVM running this records the classes they load; the other commands share most of them (Spark, Scala, DL4J,
 * ND4J, the model), and load the rest (MLlib's PCA, the charts) from their jars as before. With {@code project} and
 * {@code report} as well, the build's archive step took 53 s in a clean-clone CI; these two take 36 s on an idle
 * 2-core AMD VM. The build runs it with {@code -XX:ArchiveClassesAtExit} (pom.xml, at {@code package}) and {@code submit/spark-vae} starts every command with
 * that archive: each command loads about 20,000 classes of Spark, Scala, DL4J and ND4J from jars, and mapping them
 * from the archive instead of parsing and verifying them again cut a small job's CPU time by a third
 * (bench/README.md: Start-up). What is archived does not depend on these images: only which classes ran.
 *
 * <p>Usage: {@code ClassArchiveRun DIR}; DIR is created, and deleted afterwards whatever happens.
 */
public final class ClassArchiveRun {
    private static final int SIDE = 28;

    private ClassArchiveRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ClassArchiveRun DIR");
            System.exit(SparkVaeCli.EXIT_USAGE);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        int status;
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            Random random = new Random(1);
            writeSplit(data, MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, 512, random);
            writeSplit(data, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS, 256, random);
            String model = dir.resolve("m.zip").toString();
            String d = data.toString();
            status = SparkVaeCli.run("train", "--data", d, "--epochs", "1", "--model", model, "--no-progress");
            if (status == 0) {
                status = SparkVaeCli.execute("evaluate", "--data", d, "--model", model, "--iwae", "2",
                        "--out", dir.resolve("metrics.json").toString(), "--no-progress");
            }
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile());
        }
        System.exit(status);
    }

    /** Random images (pixels 0 or 255) and labels 0-9 in the IDX files of one MNIST split. */
    private static void writeSplit(Path dir, String images, String labels, int n, Random random) throws IOException {
        byte[] pixels = new byte[n * SIDE * SIDE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (random.nextInt(4) == 0 ? 255 : 0);
        }
        byte[] digits = new byte[n];
        for (int i = 0; i < n; i++) {
            digits[i] = (byte) (i % 10);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(images)); DataOutputStream idx = new DataOutputStream(out)) {
            idx.writeInt(0x803);
            idx.writeInt(n);
            idx.writeInt(SIDE);
            idx.writeInt(SIDE);
            idx.write(pixels);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(labels)); DataOutputStream idx = new DataOutputStream(out)) {
            idx.writeInt(0x801);
            idx.writeInt(n);
            idx.write(digits);
        }
    }
}
