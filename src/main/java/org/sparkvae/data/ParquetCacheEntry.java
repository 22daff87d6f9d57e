package org.sparkvae.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * One Parquet cache entry (a directory of part files) written under a temporary name and renamed into place only
 * when complete, with a manifest of its row count and, per part file, its length and a CRC-32 of its last 64 KiB
 * (the Parquet footer, where the row groups are described). A reader checks the manifest before Spark sees the
 * files, which costs one small read per part.
 *
 * <p>Why: Spark's own {@code _SUCCESS} marker says a job finished, not that the files are still whole: a truncated
 * part file (a full disk, a copy cut short) failed every later run with Spark's stage-failure text until the user
 * found the directory and deleted it by hand.
 */
final class ParquetCacheEntry {
    static final String MANIFEST = "_spark-vae-cache.json";
    private static final int TAIL = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    interface Writer {
        void write(Path tmp) throws IOException;
    }

    private ParquetCacheEntry() { }

    /** Null if the entry at {@code dir} is complete and holds {@code rows} rows; else what is wrong, as words. */
    static String check(FileSystem fs, Path dir, long rows) throws IOException {
        Path manifest = new Path(dir, MANIFEST);
        if (!fs.exists(dir)) {
            return "is absent";
        }
        if (!fs.exists(manifest)) {
            return "has no manifest (written by an older spark-vae, or not finished)";
        }
        JsonNode m;
        try (FSDataInputStream in = fs.open(manifest)) {
            m = JSON.readTree(in.readNBytes(1 << 20));
        } catch (IOException | RuntimeException e) {
            return "has an unreadable manifest";
        }
        if (m == null || m.path("rows").asLong(-1) != rows) {
            return "holds " + (m == null ? "?" : m.path("rows").asText("?")) + " rows, not " + rows;
        }
        JsonNode parts = m.path("parts");
        Map<String, FileStatus> present = new TreeMap<>();
        for (FileStatus f : fs.listStatus(dir)) {
            if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
                present.put(f.getPath().getName(), f);
            }
        }
        if (!parts.isObject() || parts.size() != present.size()) {
            return "has " + present.size() + " part files, its manifest " + parts.size();
        }
        for (Map.Entry<String, FileStatus> e : present.entrySet()) {
            JsonNode want = parts.get(e.getKey());
            if (want == null) {
                return "has a part file its manifest does not list (" + e.getKey() + ")";
            }
            if (want.path("length").asLong(-1) != e.getValue().getLen()) {
                return "has a part file of " + e.getValue().getLen() + " bytes, written with " + want.path("length").asLong()
                        + " (" + e.getKey() + ")";
            }
            long crc;
            try {
                crc = tailCrc(fs, e.getValue());
            } catch (IOException unreadable) { // e.g. Hadoop's local checksum files no longer match
                return "has an unreadable part file (" + e.getKey() + ": " + unreadable.getMessage() + ")";
            }
            if (want.path("tail_crc32").asLong(-1) != crc) {
                return "has a part file whose footer changed (" + e.getKey() + ")";
            }
        }
        return null;
    }

    /** Writes the entry through {@code writer} into a temporary sibling, adds the manifest, renames it to {@code dir}. */
    static void write(FileSystem fs, Path dir, long rows, Writer writer) throws IOException {
        Path tmp = new Path(dir.getParent(), "." + dir.getName() + ".tmp-" + java.util.UUID.randomUUID());
        boolean done = false;
        try {
            writer.write(tmp);
            ObjectNode m = JSON.createObjectNode();
            m.put("rows", rows);
            ObjectNode parts = m.putObject("parts");
            for (FileStatus f : fs.listStatus(tmp)) {
                if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
                    ObjectNode part = parts.putObject(f.getPath().getName());
                    part.put("length", f.getLen());
                    part.put("tail_crc32", tailCrc(fs, f));
                }
            }
            try (OutputStream out = fs.create(new Path(tmp, MANIFEST), false)) {
                out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
            }
            if (!fs.rename(tmp, dir)) {
                throw new IOException("could not rename " + tmp + " to " + dir);
            }
            done = true;
        } finally {
            if (!done) {
                fs.delete(tmp, true); // no temporary directory outlives a failure
            }
        }
    }

    private static long tailCrc(FileSystem fs, FileStatus f) throws IOException {
        long len = f.getLen();
        int n = (int) Math.min(TAIL, len);
        byte[] tail = new byte[n];
        try (FSDataInputStream in = fs.open(f.getPath())) {
            in.readFully(len - n, tail);
        }
        CRC32 crc = new CRC32();
        crc.update(tail);
        return crc.getValue();
    }
}
