package org.sparkvae.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One writer per run directory (a training run's checkpoint folder, a sweep's output directory), held for
 * the whole run; a second run on the same directory is refused at once with one line.
 *
 * <ul>
 *   <li>Local paths: an OS lock ({@link FileChannel#tryLock()}) on {@value #NAME} inside the directory. The
 *       kernel releases it when the process dies, so a killed run never blocks its own {@code --resume}. The
 *       file stays behind, emptied: it is the run's own, not a leftover.</li>
 *   <li>HDFS and other file systems with atomic create: {@value #NAME} created without overwrite, holding the
 *       owner; its modification time is a heartbeat, renewed every {@value #HEARTBEAT_SECONDS} s, and a lock
 *       whose heartbeat is older than {@value #STALE_SECONDS} s belongs to a dead run and is taken over.
 *       Deleted on release.</li>
 *   <li>Object stores (s3a, gs, abfs, wasb) have no atomic create-if-absent: no lock; concurrent writers are
 *       not detected (README).</li>
 * </ul>
 */
public final class RunLock implements AutoCloseable {
    public static final String NAME = ".spark-vae.lock";
    static final int HEARTBEAT_SECONDS = 20;
    static final int STALE_SECONDS = 120;
    private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss");

    private final Runnable release;

    private RunLock(Runnable release) {
        this.release = release;
    }

    /** Thrown when another run holds the directory. */
    public static final class HeldException extends IOException {
        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Creates {@code dir} if needed and locks it.
     * @param what names the run for the message, e.g. "a training run"
     */
    public static RunLock acquire(String dir, String what) throws IOException {
        HadoopFiles.mkdirs(dir);
        String owner = "pid " + ManagementFactory.getRuntimeMXBean().getPid() + " on "
                + java.net.InetAddress.getLoopbackAddress().getHostName() + " since " + java.time.Instant.now();
        if (HadoopFiles.isLocal(dir)) {
            return local(HadoopFiles.localPath(dir), what, owner);
        }
        Path lock = new Path(new Path(dir), NAME);
        String scheme = lock.toUri().getScheme();
        if (scheme != null && OBJECT_STORES.contains(scheme)) {
            return new RunLock(() -> { });
        }
        return hadoop(lock.getFileSystem(new Configuration()), lock, dir, what, owner);
    }

    private static RunLock local(java.nio.file.Path dir, String what, String owner) throws IOException {
        java.nio.file.Path file = dir.resolve(NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new HeldException(dir + ": " + what + " is already writing here"
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to finish or choose another path");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
        FileLock held = lock;
        return new RunLock(() -> {
            try {
                channel.truncate(0);
                held.release();
                channel.close();
            } catch (IOException ignored) {
                // the kernel drops the lock with the process anyway
            }
        });
    }

    private static RunLock hadoop(FileSystem fs, Path lock, String dir, String what, String owner) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (FSDataOutputStream out = fs.create(lock, false)) {
                out.write(owner.getBytes(StandardCharsets.UTF_8));
                break;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException held) {
                long age = System.currentTimeMillis() - fs.getFileStatus(lock).getModificationTime();
                if (age > STALE_SECONDS * 1000L && attempt == 0) {
                    fs.delete(lock, false); // its owner stopped heartbeating: a dead run
                    continue;
                }
                String holder;
                try (var in = fs.open(lock)) {
                    holder = new String(in.readNBytes(200), StandardCharsets.UTF_8).strip();
                }
                throw new HeldException(dir + ": " + what + " is already writing here (" + holder
                        + "); wait for it to finish or choose another path");
            }
        }
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spark-vae-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                fs.setTimes(lock, System.currentTimeMillis(), -1);
            } catch (IOException ignored) {
                // retried at the next beat
            }
        }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        return new RunLock(() -> {
            heartbeat.shutdownNow();
            try {
                fs.delete(lock, false);
            } catch (IOException ignored) {
                // goes stale and is taken over
            }
        });
    }

    @Override
    public void close() {
        release.run();
    }
}
