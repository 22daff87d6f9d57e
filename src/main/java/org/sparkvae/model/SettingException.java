package org.sparkvae.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkvae.io.NameTemplate;
import org.sparkvae.io.NamedOptions;

/**
 * A bad setting, with the names of the settings it speaks of as data: its template writes each as {@code {name}}
 * ({@code "{levels} 2 has p(z2) = N(0, I); it cannot be combined with {prior} mog"}). {@link #getMessage} renders the
 * library's names; a front end renders its own through {@link #messageIn} (the CLI its flags, the sweep grid its
 * keys), so no front end rewrites message text.
 */
public final class SettingException extends IllegalArgumentException implements NamedOptions {
    private final String setting;
    private final String template;

    /** {@code setting}: the one the error is about; {@code template}: the message, each setting named as {@code {name}}. */
    public SettingException(String setting, String template) {
        super(render(template, Map.of()));
        this.setting = setting;
        this.template = template;
    }

    /** An enum-valued setting's value, or a SettingException naming the setting and the (printable, cut) value. */
    public static <E extends Enum<E>> E parseKind(Class<E> type, String setting, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            String shown = String.valueOf(value).toLowerCase(Locale.ROOT).replaceAll("[^\\x20-\\x7e]|[{}]", "?");
            throw new SettingException(setting, "unknown " + setting + " '" + (shown.length() > 60 ? shown.substring(0, 60) + "..." : shown) + "'");
        }
    }

    /** The message with every setting named by a front end's name for it ({@code latentDim} -> {@code --latent-dim}). */
    @Override
    public String messageIn(Map<String, String> names) {
        return render(template, names);
    }

    /** The setting the message is about (a {@link VaeConfig} component name, or a run's option). */
    public String setting() {
        return setting;
    }

    /** Every setting the message names, in order. */
    public List<String> named() {
        return NameTemplate.names(template);
    }

    private static String render(String template, Map<String, String> names) {
        return NameTemplate.render(template, names, name -> name);
    }
}
