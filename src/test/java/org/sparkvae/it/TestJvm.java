package org.sparkvae.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The start of a command line for a test's own JVM: this JDK's java and the module flags Spark needs on Java 17. */
public final class TestJvm {
    private TestJvm() { }

    /** {@code java} plus the build's {@code jvm.module.flags} (target/classes/spark-vae-build.properties); add to it. */
    public static List<String> java() {
        Properties build = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "spark-vae-build.properties"))) {
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(build.getProperty("jvm.module.flags").trim().split("\\s+")));
        return cmd;
    }
}
