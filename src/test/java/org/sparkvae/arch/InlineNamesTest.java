package org.sparkvae.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Project classes are imported, not written inline as {@code org.sparkvae.x.Y} in code: an inline name hides a
 * package edge from a reader of the imports (the architecture issue counted about 115). Comments and string literals
 * (the class names of models saved before a package split) are not code.
 */
class InlineNamesTest {
    private static final Pattern INLINE = Pattern.compile("(?<![\\w.\"])org\\.sparkvae\\.(?:[a-z]\\w*\\.)+[A-Z]");

    @Test
    void projectClassesAreImportedNotWrittenInline() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String code = codeOf(lines.get(i));
                    if (!code.startsWith("import ") && !code.startsWith("package ") && INLINE.matcher(code).find()) {
                        found.add(p + ":" + (i + 1) + ": " + code);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    /** The line without string literals and comments (a line inside a block comment starts with '*' or '/'). */
    private static String codeOf(String line) {
        String t = line.strip();
        if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
            return "";
        }
        t = t.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        int comment = t.indexOf("//");
        return comment < 0 ? t : t.substring(0, comment);
    }
}
