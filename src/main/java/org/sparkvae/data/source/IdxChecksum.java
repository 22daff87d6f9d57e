package org.sparkvae.data.source;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The MD5 of an IDX file's uncompressed bytes — the data's identity in provenance ({@code train_images_md5}), in
 * dataset recognition and in cache keys — computed by one executor task streaming the file, so the driver never
 * reads the pixels. Equal to {@code IdxImages.contentMd5()} of the same file.
 */
public final class IdxChecksum {
    private IdxChecksum() { }

    public static String md5(SparkSession spark, String path) {
        SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(path), 1)
                .map(p -> stream(p, conf)).collect().get(0);
    }

    private static String stream(String path, SerializableConfiguration conf) throws Exception {
        Path p = new Path(path);
        MessageDigest md = MessageDigest.getInstance("MD5");
        try (InputStream raw = p.getFileSystem(conf.value()).open(p);
             InputStream in = path.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
