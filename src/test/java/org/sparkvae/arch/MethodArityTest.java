package org.sparkvae.arch;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture issue's bar: no method or non-record constructor in src/main takes more than 7 parameters (a
 * longer list is a record waiting to be named). Read from the compiled classes; compiler-made methods (lambda bodies,
 * which take their captured variables) and records' constructors are not counted.
 */
class MethodArityTest {
    static final int MAX = 7;

    @Test
    void noMethodOrConstructorTakesMoreThanSevenParameters() throws Exception {
        Path root = Path.of("target", "classes");
        List<String> names;
        try (Stream<Path> files = Files.walk(root.resolve("org").resolve("sparkvae"))) {
            names = files.map(root::relativize).map(Path::toString).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).sorted().toList();
        }
        List<String> over = new ArrayList<>();
        int checked = 0;
        for (String name : names) {
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            List<Executable> all = new ArrayList<>(List.of(c.getDeclaredMethods()));
            if (!c.isRecord() && !c.isAnonymousClass()) { // an anonymous class's constructor takes what it captures
                all.addAll(List.of(c.getDeclaredConstructors()));
            }
            for (Executable e : all) {
                if (e.isSynthetic() || (e instanceof Method m && m.isBridge())) {
                    continue;
                }
                int n = e.getParameterCount();
                // An inner (non-static) class's constructors take the outer instance first.
                if (e instanceof Constructor<?> && c.getEnclosingClass() != null && !java.lang.reflect.Modifier.isStatic(c.getModifiers())
                        && n > 0 && e.getParameterTypes()[0] == c.getEnclosingClass()) {
                    n--;
                }
                checked++;
                if (n > MAX) {
                    over.add(name + "." + (e instanceof Constructor<?> ? "<init>" : e.getName()) + ": " + n);
                }
            }
        }
        assertTrue(checked > 500, "methods checked: " + checked);
        assertEquals(List.of(), over, "over " + MAX + " parameters");
    }
}
