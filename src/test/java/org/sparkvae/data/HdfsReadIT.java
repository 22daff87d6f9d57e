package org.sparkvae.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IDX files read from a real (in-process) HDFS through hdfs:// paths. */
class HdfsReadIT {
    private static MiniDFSCluster hdfs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Path base = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hdfs-");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        FileSystem fs = hdfs.getFileSystem();
        root = fs.getUri() + "/mnist";
        Path slice = Path.of(HdfsReadIT.class.getResource("/mnist-slice").toURI());
        try (var files = Files.list(slice)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".gz")).toList()) {
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(root + "/" + f.getFileName()));
            }
        }
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void readsTheSameImagesAsTheLocalFiles() throws Exception {
        assertTrue(root.startsWith("hdfs://"), root);
        LabelledImages fromHdfs = new MnistFiles(root).read28x28(MnistFiles.Split.TEST);
        String local = Path.of(getClass().getResource("/mnist-slice").toURI()).toString();
        LabelledImages fromDisk = new MnistFiles(local).read28x28(MnistFiles.Split.TEST);
        assertEquals(500, fromHdfs.size());
        assertArrayEquals(fromDisk.images().pixels(), fromHdfs.images().pixels());
        assertArrayEquals(fromDisk.labels(), fromHdfs.labels());
    }

    @Test
    void aMissingHdfsDirectoryIsNamed() {
        Exception e = assertThrows(java.io.FileNotFoundException.class,
                () -> new MnistFiles(root + "-absent").read(MnistFiles.Split.TEST));
        assertTrue(e.getMessage().contains("hdfs://") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
