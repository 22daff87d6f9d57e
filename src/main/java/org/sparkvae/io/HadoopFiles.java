package org.sparkvae.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Outputs on any Hadoop path ({@code file:}, {@code hdfs:}, {@code s3a:}, or a plain local path),
 * published so that a reader sees either nothing or the complete file: local paths go through
 * {@link AtomicFiles}; others are copied to a hidden name beside the target and renamed into place.
 */
public final class HadoopFiles {
    private static final Configuration CONF = new Configuration();

    private HadoopFiles() { }

    /** True for plain local paths and {@code file:} URIs. */
    public static boolean isLocal(String path) {
        // Read the scheme by hand: URI parsing rejects characters a local file name may hold ([, %, <, space).
        java.util.regex.Matcher m = SCHEME.matcher(path);
        return !m.lookingAt() || m.group(1).equalsIgnoreCase("file");
    }

    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]+):");

    /** A local path taken literally; {@code file:} URIs are decoded. */
    public static java.nio.file.Path localPath(String path) {
        return path.startsWith("file:") ? java.nio.file.Path.of(URI.create(path)) : java.nio.file.Path.of(path);
    }

    private static FileSystem fs(String path) throws IOException {
        return new Path(path).getFileSystem(CONF);
    }

    public static boolean exists(String path) throws IOException {
        return isLocal(path) ? Files.exists(localPath(path)) : fs(path).exists(new Path(path));
    }

    /** Sibling path: same directory, another file name. */
    public static String sibling(String path, String name) {
        if (isLocal(path)) {
            return localPath(path).resolveSibling(name).toString();
        }
        return new Path(new Path(path).getParent(), name).toString();
    }

    public static String child(String dir, String name) {
        return isLocal(dir) ? localPath(dir).resolve(name).toString() : new Path(new Path(dir), name).toString();
    }

    public static String fileName(String path) {
        return new Path(path).getName();
    }

    /** Moves a complete local file to {@code target}; the target appears whole or not at all. */
    public static void publish(java.nio.file.Path local, String target) throws IOException {
        if (isLocal(target)) {
            AtomicFiles.moveAtomically(local, localPath(target).toAbsolutePath());
            return;
        }
        FileSystem fs = fs(target);
        Path dst = new Path(target);
        // Temp files of this target's killed writers on this host go first (their names carry PID@HOST).
        if (fs.exists(dst.getParent())) {
            for (FileStatus st : fs.listStatus(dst.getParent())) {
                if (AtomicFiles.isDeadWritersTemp(st.getPath().getName(), dst.getName())) {
                    fs.delete(st.getPath(), false);
                }
            }
        }
        Path tmp = new Path(dst.getParent(), "." + dst.getName() + "." + AtomicFiles.WRITER + "." + System.nanoTime() + ".tmp");
        fs.copyFromLocalFile(true, true, new Path(local.toUri()), tmp);
        if (fs.exists(dst)) {
            fs.delete(dst, false);
        }
        if (!fs.rename(tmp, dst)) {
            fs.delete(tmp, false);
            throw new IOException("could not move " + tmp + " to " + dst);
        }
    }

    public static void writeString(String target, String content) throws IOException {
        if (isLocal(target)) {
            AtomicFiles.writeString(localPath(target), content);
            return;
        }
        java.nio.file.Path tmp = WorkDirs.createFile(".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp); // publish moved it, unless it failed
        }
    }

    /** A local copy of {@code path} (the file itself when it is local). */
    public static java.nio.file.Path fetch(String path) throws IOException {
        if (isLocal(path)) {
            return localPath(path);
        }
        FileSystem fs = fs(path);
        if (!fs.exists(new Path(path))) {
            throw new FileNotFoundException(path + ": does not exist");
        }
        java.nio.file.Path tmp = WorkDirs.createFile("-" + fileName(path));
        Files.delete(tmp);
        fs.copyToLocalFile(false, new Path(path), new Path(tmp.toUri()), true);
        tmp.toFile().deleteOnExit();
        return tmp;
    }

    public static void mkdirs(String dir) throws IOException {
        if (isLocal(dir)) {
            Files.createDirectories(localPath(dir));
        } else {
            fs(dir).mkdirs(new Path(dir));
        }
    }

    public static void delete(String path) throws IOException {
        if (isLocal(path)) {
            Files.deleteIfExists(localPath(path));
        } else {
            fs(path).delete(new Path(path), false);
        }
    }

    /** Names of the files directly in {@code dir} (empty when it does not exist). */
    public static List<String> list(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        if (isLocal(dir)) {
            java.nio.file.Path d = localPath(dir);
            if (Files.isDirectory(d)) {
                try (var s = Files.list(d)) {
                    s.forEach(p -> names.add(p.getFileName().toString()));
                }
            }
            return names;
        }
        FileSystem fs = fs(dir);
        if (!fs.exists(new Path(dir))) {
            return names;
        }
        for (FileStatus st : fs.listStatus(new Path(dir))) {
            names.add(st.getPath().getName());
        }
        return names;
    }

    /**
     * Deletes the temporary files that writers of {@code target} leave when they are killed mid-write
     * ({@code .NAME.<n>.tmp} beside it: {@link AtomicFiles} and {@link #publish} name them so). Call it only
     * while holding the run's {@link RunLock}: then no live writer owns them.
     */
    public static int deleteStaleTemps(String target) throws IOException {
        String prefix = "." + fileName(target) + ".";
        String dir = parent(target);
        int n = 0;
        for (String name : list(dir)) {
            if (name.startsWith(prefix) && name.endsWith(".tmp")) {
                delete(child(dir, name));
                n++;
            }
        }
        return n;
    }

    /** Fails, naming the first one, when any of {@code targets} exists. */
    public static void refuseExisting(List<String> targets, String hint) throws IOException {
        for (String t : targets) {
            refuseExisting(t, hint);
        }
    }

    /** The directory holding {@code path}. */
    public static String parent(String path) {
        if (isLocal(path)) {
            java.nio.file.Path p = localPath(path).toAbsolutePath().getParent();
            return p == null ? "/" : p.toString();
        }
        return new Path(path).getParent().toString();
    }

    /** As {@link AtomicFiles#refuseExisting} for any Hadoop path: fails when {@code target} exists. */
    public static void refuseExisting(String target, String hint) throws IOException {
        if (exists(target)) {
            throw new OutputExistsException(target, ": already exists; " + hint);
        }
    }

    /** Deletes a file or a whole directory tree (such as a Parquet table); no error when it is absent. */
    public static void deleteRecursively(String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = fs(path);
        if (fs.exists(p)) {
            fs.delete(p, true);
        }
    }

    /** Renames a file or directory on one file system (atomic on HDFS and local disks). */
    public static void rename(String from, String to) throws IOException {
        if (!fs(from).rename(new Path(from), new Path(to))) {
            throw new IOException("could not rename " + from + " to " + to);
        }
    }
}
