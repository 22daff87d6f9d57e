package org.sparkvae.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A message template naming settings or options as {@code {name}}: the one renderer of every {@link NamedOptions}. */
public final class NameTemplate {
    private static final Pattern NAME = Pattern.compile("\\{(\\w+)}");

    private NameTemplate() { }

    /** {@code template} with each {@code {name}} replaced by {@code names}' entry, else by {@code otherwise(name)}. */
    public static String render(String template, Map<String, String> names, UnaryOperator<String> otherwise) {
        Matcher m = NAME.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String shown = names.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(shown != null ? shown : otherwise.apply(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    /** Every name the template holds, in order. */
    public static List<String> names(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = NAME.matcher(template);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
