package org.sparkvae.io;

import java.nio.file.FileAlreadyExistsException;
import java.util.Map;

/**
 * A job would replace or mix with something the user has: {@code path} followed by what to do, whose template names
 * options as {@code {name}} ({@code ": already exists; pass {overwrite} to replace it"}). The path is shown as it is.
 */
public class OutputExistsException extends FileAlreadyExistsException implements NamedOptions {
    private final PathMessage message;

    public OutputExistsException(String path, String template) {
        this(new PathMessage(path, template));
    }

    private OutputExistsException(PathMessage message) {
        super(message.in(Map.of()));
        this.message = message;
    }

    @Override
    public String messageIn(Map<String, String> names) {
        return message.in(names);
    }
}
