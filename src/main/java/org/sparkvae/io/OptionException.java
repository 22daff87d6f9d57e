package org.sparkvae.io;

import java.util.Locale;
import java.util.Map;

/**
 * A run's options do not fit (a missing checkpoint for {@code resume}, a data format one JVM cannot read, ...). The
 * template names options as {@code {name}} and takes values as {@code %s}/{@code %d} arguments, so that a value is never
 * read as a name. The library's message quotes names ({@code `resume`}); the CLI renders its flags.
 */
public class OptionException extends IllegalArgumentException implements NamedOptions {
    private final String template;
    private final Object[] values;

    public OptionException(String template, Object... values) {
        super(format(template, Map.of(), values));
        this.template = template;
        // Kept as numbers (for %d) or as text: what the message shows, and serializable whatever the values were.
        this.values = java.util.Arrays.stream(values).map(v -> v == null || v instanceof Number ? v : String.valueOf(v)).toArray();
    }

    /** The same, with the failure behind it (an I/O error) as its cause. */
    public static OptionException causedBy(Throwable cause, String template, Object... values) {
        OptionException e = new OptionException(template, values);
        e.initCause(cause);
        return e;
    }

    @Override
    public String messageIn(Map<String, String> names) {
        return format(template, names, values);
    }

    private static String format(String template, Map<String, String> names, Object[] values) {
        // Names first, then the values: a flag holds no '%', and a value is inserted after every name is rendered.
        return String.format(Locale.ROOT, NameTemplate.render(template, names, NamedOptions::quoted), values);
    }
}
