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

/**
 * A real (in-process) HDFS: IDX files read through hdfs:// paths, and the whole job (train with
 * per-epoch checkpoints, resume, evaluate on Spark) run with hdfs:// paths only.
 */
@org.junit.jupiter.api.parallel.ResourceLock("hadoop-minicluster") // YarnClusterIT.HADOOP_MINICLUSTER: one in-process Hadoop at a time
@org.junit.jupiter.api.parallel.ResourceLock(org.sparkvae.spark.TestSpark.LOCK) // Spark runs in this JVM
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

    @Test
    void trainCheckpointResumeAndEvaluateWithHdfsPathsOnly() throws Exception {
        FileSystem fs = hdfs.getFileSystem();
        fs.mkdirs(new org.apache.hadoop.fs.Path(fs.getUri() + "/runs"));
        String model = fs.getUri() + "/runs/m.zip";
        String[] train = {"train", "--data", root, "--model", model, "--epochs", "2", "--batch-size", "100",
                "--latent-dim", "4", "--seed", "5", "--no-progress"};
        assertEquals(0, org.sparkvae.cli.SparkVaeCli.execute(train));
        for (String f : new String[] {"/runs/m.zip", "/runs/m.json", "/runs/m.metrics.csv", "/runs/m.ckpt/epoch-0002.zip"}) {
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(fs.getUri() + f)), f + " on HDFS");
        }
        assertTrue(!fs.exists(new org.apache.hadoop.fs.Path(fs.getUri() + "/runs/m.ckpt/epoch-0001.zip")), "old checkpoint pruned");
        // An existing model on HDFS is not replaced without --overwrite.
        assertEquals(1, org.sparkvae.cli.SparkVaeCli.execute(train));

        // Continue the run to 3 epochs from its HDFS checkpoint.
        assertEquals(0, org.sparkvae.cli.SparkVaeCli.execute("train", "--data", root, "--model", model, "--epochs", "3",
                "--batch-size", "100", "--latent-dim", "4", "--seed", "5", "--resume", "--overwrite", "--no-progress"));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(fs.getUri() + "/runs/m.ckpt/epoch-0003.zip")));
        String csv = new String(fs.open(new org.apache.hadoop.fs.Path(fs.getUri() + "/runs/m.metrics.csv")).readAllBytes());
        assertEquals(4, csv.strip().lines().count(), "header + 3 epochs: " + csv);

        Path out = Files.createTempDirectory("hdfs-metrics").resolve("metrics.json"); // evaluate refuses an existing --out
        assertEquals(0, org.sparkvae.cli.SparkVaeCli.execute("evaluate", "--master", "local[2]", "--data", root,
                "--model", model, "--out", out.toString(), "--no-progress"));
        var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        assertEquals(500, m.get("n").asInt());
        assertTrue(m.get("test_neg_elbo").asDouble() < 543, m.toString());
    }

    /** Trust issue row 6 on HDFS: the lock is an atomically created file; a second holder is refused, a stale one taken over. */
    @Test
    void runLockOnHdfs() throws Exception {
        String run = root + "/locked-run.ckpt";
        org.apache.hadoop.fs.Path lockFile = new org.apache.hadoop.fs.Path(run + "/" + org.sparkvae.io.RunLock.NAME);
        org.apache.hadoop.fs.FileSystem fs = hdfs.getFileSystem();
        try (org.sparkvae.io.RunLock first = org.sparkvae.io.RunLock.acquire(run, "another training run")) {
            assertTrue(fs.exists(lockFile));
            org.sparkvae.io.RunLock.HeldException e = assertThrows(org.sparkvae.io.RunLock.HeldException.class,
                    () -> org.sparkvae.io.RunLock.acquire(run, "another training run"));
            assertTrue(e.getMessage().contains("is already writing here (pid "), e.getMessage());
        }
        assertTrue(!fs.exists(lockFile), "released: deleted");
        // A dead run's lock: no heartbeat for 10 minutes. Taken over.
        try (var out = fs.create(lockFile, false)) {
            out.write("pid 1 on elsewhere".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        fs.setTimes(lockFile, System.currentTimeMillis() - 600_000, -1);
        org.sparkvae.io.RunLock.acquire(run, "another training run").close();
    }
}
