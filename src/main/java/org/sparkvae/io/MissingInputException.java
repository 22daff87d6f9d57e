package org.sparkvae.io;

import java.io.FileNotFoundException;
import java.util.Map;

/**
 * An input the job needs is not there: {@code path} followed by what to do, whose template names options as
 * {@code {name}} ({@code ": data directory does not exist (... or pass {data} DIR)"}). The path is shown as it is.
 */
public class MissingInputException extends FileNotFoundException implements NamedOptions {
    private final PathMessage message;

    public MissingInputException(String path, String template) {
        this(new PathMessage(path, template));
    }

    private MissingInputException(PathMessage message) {
        super(message.in(Map.of()));
        this.message = message;
    }

    @Override
    public String messageIn(Map<String, String> names) {
        return message.in(names);
    }
}
