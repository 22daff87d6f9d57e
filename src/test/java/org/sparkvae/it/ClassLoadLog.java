package org.sparkvae.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The classes a child JVM loaded and where each came from, from the JVM's own log ({@code -Xlog:class+load}, given
 * through {@code JAVA_TOOL_OPTIONS} so that it reaches the JVM that {@code submit/spark-vae} execs). The JVM prints a
 * "Picked up JAVA_TOOL_OPTIONS" line on the command's output, which {@link #PICKED_UP} names.
 */
record ClassLoadLog(List<String> lines) {
    static final String PICKED_UP = "Picked up JAVA_TOOL_OPTIONS";

    /** Sets {@code env} so that the JVM started with it logs its class loads to {@code file}. */
    static void logTo(Map<String, String> env, Path file) {
        env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + file);
    }

    static ClassLoadLog read(Path file) throws IOException {
        return new ClassLoadLog(Files.readAllLines(file));
    }

    /** Where {@code className} was loaded from ("shared objects file (top)", a jar's URL, ...), or "not loaded". */
    String source(String className) {
        return lines.stream().filter(l -> l.contains(" " + className + " source: ")).findFirst()
                .map(l -> l.substring(l.indexOf(" source: ") + 9)).orElse("not loaded");
    }

    boolean loaded(String className) {
        return !source(className).equals("not loaded");
    }
}
