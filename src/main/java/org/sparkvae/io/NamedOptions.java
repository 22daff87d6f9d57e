package org.sparkvae.io;

import java.util.Map;

/**
 * An error whose message names settings or options as data: its template writes each as {@code {name}}. The library's
 * own message names them its way; a front end renders its own names through {@link #messageIn} (the CLI its flags),
 * both through {@link NameTemplate}, so no front end rewrites message text. Values (paths, sizes, what the user typed) are never part of a template, so a
 * value that happens to hold braces is shown as it is.
 */
public interface NamedOptions {
    /** The message with every name rendered by {@code names} ({@code overwrite} -> {@code --overwrite}). */
    String messageIn(Map<String, String> names);

    /** A run option as the library names it in its own messages: {@code `overwrite`}. */
    static String quoted(String name) {
        return "`" + name + "`";
    }

    /**
     * A message that starts with a path, shown as it is, and goes on with a template naming options (what to do):
     * the shared form of {@link OutputExistsException} and {@link MissingInputException}.
     */
    record PathMessage(String path, String template) implements java.io.Serializable {
        public String in(Map<String, String> names) {
            return path + NameTemplate.render(template, names, NamedOptions::quoted);
        }
    }
}
