package org.sparkvae.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Paths that executors will read are qualified on the driver (the README's relative default, data/mnist). */
class MnistFilesTest {
    @Test
    void relativePathsAreMadeAbsoluteAgainstTheDriversDirectory() throws Exception {
        String cwd = System.getProperty("user.dir");
        Configuration conf = new Configuration();
        assertEquals(cwd + "/data/mnist", MnistFiles.qualify(new Path("data/mnist"), conf).toString());
        assertEquals("/abs/mnist", MnistFiles.qualify(new Path("/abs/mnist"), conf).toString());
        assertEquals("file:/abs/mnist", MnistFiles.qualify(new Path("file:/abs/mnist"), conf).toString());
    }

    @Test
    void aRelativeDirectoryResolvesToAbsoluteFiles() throws Exception {
        java.nio.file.Path dir = Files.createDirectories(java.nio.file.Path.of("target", "mnist-files-test"));
        Files.write(dir.resolve(MnistFiles.TEST_IMAGES + ".gz"), new byte[0]);
        String found = new MnistFiles("target/mnist-files-test").resolve(MnistFiles.TEST_IMAGES);
        assertEquals(System.getProperty("user.dir") + "/target/mnist-files-test/" + MnistFiles.TEST_IMAGES + ".gz", found);
    }
}
