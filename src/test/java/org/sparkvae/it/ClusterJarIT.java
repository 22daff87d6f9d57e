package org.sparkvae.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.data.RealData;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spark.read.format("idx")} from a Java program and from Spark's Scala shell with nothing but a Spark
 * distribution's class path and {@code --jars target/spark-vae-cluster.jar}, as a user of a Spark cluster adds
 * spark-vae: both run through {@code SparkSubmit} on {@code local[2]} and read real MNIST (count, the vector column's
 * type and size, the first record's label and pixels, checked against the files).
 */
@org.junit.jupiter.api.parallel.ResourceLock(SparkDistribution.LOCK)
class ClusterJarIT {
    private static final Pattern CHECK = Pattern.compile(
            "IDX-CHECK count=(\\d+) test=(\\d+) type=(\\w+) size=(\\d+) label0=(\\d+) sum0=([0-9.E]+)");
    private static String sparkClassPath;
    private static Path mnist;

    @TempDir
    Path dir;

    /** A Spark 3.5.9 distribution's jars, resolved on their own (src/test/spark-dist/pom.xml says why). */
    @BeforeAll
    static void resolveSpark() throws Exception {
        sparkClassPath = SparkDistribution.classPath();
        assertTrue(sparkClassPath.contains("spark-sql_2.12-3.5.9.jar"), sparkClassPath);
        for (String jar : sparkClassPath.split(":")) {
            String name = Path.of(jar).getFileName().toString();
            assertTrue(!name.startsWith("spark-vae") && !name.contains("deeplearning4j") && !name.contains("nd4j"),
                    "Spark's class path holds " + name);
        }
        mnist = RealData.mnist();
    }

    /** The figures the check programs print, from the files themselves. */
    private static void assertChecked(String out) throws IOException {
        Matcher m = CHECK.matcher(out);
        assertTrue(m.find(), out);
        assertEquals(60_000, Long.parseLong(m.group(1)));
        assertEquals(10_000, Long.parseLong(m.group(2)));
        assertEquals("VectorUDT", m.group(3));
        assertEquals(784, Integer.parseInt(m.group(4)));
        byte[] labels = Files.readAllBytes(mnist.resolve("train-labels-idx1-ubyte"));
        assertEquals(labels[8], Integer.parseInt(m.group(5)));
        long sum = 0;
        try (InputStream in = Files.newInputStream(mnist.resolve("train-images-idx3-ubyte"))) {
            in.readNBytes(16);
            for (byte b : in.readNBytes(784)) {
                sum += b & 0xFF;
            }
        }
        assertEquals(sum / 255.0, Double.parseDouble(m.group(6)), 1e-4, "continuous pixels of the first image");
    }

    /** SparkSubmit in its own JVM: Spark's class path only, the cluster jar through --jars. */
    private String submit(List<String> appArgs, Path log) throws Exception {
        List<String> cmd = TestJvm.java();
        cmd.addAll(List.of("-Dscala.usejavacp=true", // what bin/spark-shell sets for its REPL
                "-Dlog4j2.configurationFile=" + Path.of("conf", "log4j2.properties").toAbsolutePath(),
                "-cp", sparkClassPath, "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--jars", Path.of("target", "spark-vae-cluster.jar").toAbsolutePath().toString()));
        cmd.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void javaProgram() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("IdxCheck.java"), """
                import org.apache.spark.ml.linalg.Vector;
                import org.apache.spark.sql.Dataset;
                import org.apache.spark.sql.Row;
                import org.apache.spark.sql.SparkSession;

                public class IdxCheck {
                    public static void main(String[] args) {
                        SparkSession spark = SparkSession.builder().appName("idx-check").getOrCreate();
                        Dataset<Row> train = spark.read().format("idx").option("mode", "continuous").load(args[0]);
                        Dataset<Row> test = spark.read().format("idx").option("split", "test").load(args[0]);
                        Row first = train.orderBy("index").head();
                        Vector v = first.getAs("features");
                        double sum = 0;
                        for (double x : v.toArray()) {
                            sum += x;
                        }
                        System.out.println("IDX-CHECK count=" + train.count() + " test=" + test.count()
                                + " type=" + train.schema().apply("features").dataType().getClass().getSimpleName()
                                + " size=" + v.size() + " label0=" + first.getAs("label") + " sum0=" + sum);
                        spark.stop();
                    }
                }
                """);
        // Compiled against Spark alone: the program names no spark-vae class, only the source's short name.
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-classpath", sparkClassPath,
                "-d", classes.toString(), src.resolve("IdxCheck.java").toString());
        assertEquals(0, rc, "javac");
        Path jar = dir.resolve("idx-check.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("IdxCheck.class"));
            out.write(Files.readAllBytes(classes.resolve("IdxCheck.class")));
            out.closeEntry();
        }
        assertChecked(submit(List.of("--class", "IdxCheck", jar.toString(), mnist.toString()), dir.resolve("java.log")));
    }

    @Test
    void scalaShell() throws Exception {
        Path script = dir.resolve("check.scala");
        Files.writeString(script, """
                val train = spark.read.format("idx").option("mode", "continuous").load("%s")
                val test = spark.read.format("idx").option("split", "test").load("%s")
                val first = train.orderBy("index").head
                val v = first.getAs[org.apache.spark.ml.linalg.Vector]("features")
                println(s"IDX-CHECK count=${train.count} test=${test.count} type=${train.schema("features").dataType.getClass.getSimpleName} size=${v.size} label0=${first.getAs[Int]("label")} sum0=${v.toArray.sum}")
                sys.exit(0)
                """.formatted(mnist, mnist));
        // What bin/spark-shell runs: Spark's REPL as the application "spark-shell".
        assertChecked(submit(List.of("--class", "org.apache.spark.repl.Main", "--name", "spark-shell", "spark-shell",
                "-i", script.toString()), dir.resolve("scala.log")));
    }
    /**
     * The cluster jar leaves fastutil out (pom.xml says why): only these classes of it refer to fastutil, and none of
     * them is loaded by a spark-vae job. A new dependency version that used fastutil elsewhere would fail here instead
     * of with a NoClassDefFoundError on an executor. Also prints the jar's size and its largest parts.
     */
    @Test
    void theJarLeavesOutOnlyWhatNoJobLoads() throws Exception {
        Path jar = Path.of("target", "spark-vae-cluster.jar");
        byte[] fastutil = "it/unimi/dsi/fastutil/".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> referring = new ArrayList<>();
        long natives = 0;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                assertTrue(!e.getName().startsWith("it/unimi/dsi/fastutil/"), e.getName());
                if (e.getName().endsWith(".so") || e.getName().contains(".so.")) {
                    natives += e.getCompressedSize();
                }
                if (e.getName().endsWith(".class")) {
                    byte[] b;
                    try (InputStream in = zip.getInputStream(e)) {
                        b = in.readAllBytes();
                    }
                    if (indexOf(b, fastutil) >= 0) {
                        referring.add(e.getName());
                    }
                }
            }
        }
        assertEquals(List.of("com/clearspring/analytics/stream/quantile/QDigest.class",
                "org/datavec/api/util/ndarray/RecordConverter.class",
                "org/deeplearning4j/optimize/listeners/CollectScoresListener.class"), referring.stream().sorted().toList());
        System.out.printf("ClusterJarIT: %s is %d MB, %d MB of it native libraries (compressed)%n", jar, Files.size(jar) >> 20, natives >> 20);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
