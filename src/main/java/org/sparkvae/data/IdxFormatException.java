package org.sparkvae.data;

import java.io.IOException;

/** An IDX file that cannot be used: the message names the file and what is wrong with it. */
public final class IdxFormatException extends IOException {
    public IdxFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    /** A label outside a declared class count, worded alike by the driver's reader and the data source. */
    public static IdxFormatException labelOutside(String labelsPath, int label, long record, int classes) {
        return new IdxFormatException(labelsPath, "label " + label + " of record " + record + " is outside the declared "
                + classes + " classes (0.." + (classes - 1) + ")");
    }
}
