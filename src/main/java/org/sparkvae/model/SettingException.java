package org.sparkvae.model;

/**
 * A bad model setting, worded in the library's names ({@code latentDim must be a positive integer, got 0}); front
 * ends map the names onto their own (the CLI onto its flags, the Spark ML stages onto their Params).
 */
public final class SettingException extends IllegalArgumentException {
    private final String setting;

    public SettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /**
     * The message with every setting name in it replaced by a front end's name for it ({@code latentDim} ->
     * {@code --latent-dim}); names not in {@code names} stay.
     */
    public String messageIn(java.util.Map<String, String> names) {
        String m = getMessage();
        for (java.util.Map.Entry<String, String> e : names.entrySet()) {
            m = m.replaceAll("\\b" + java.util.regex.Pattern.quote(e.getKey()) + "\\b", java.util.regex.Matcher.quoteReplacement(e.getValue()));
        }
        return m;
    }

    /** The setting the message is about (a {@link VaeConfig} component name). */
    public String setting() {
        return setting;
    }
}
