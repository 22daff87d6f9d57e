package org.sparkvae.data;

import java.io.IOException;

/** An IDX file that cannot be used: the message names the file and what is wrong with it. */
public final class IdxFormatException extends IOException {
    public IdxFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
