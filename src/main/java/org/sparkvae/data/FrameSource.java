package org.sparkvae.data;

import org.sparkvae.io.OptionException;

/**
 * Training data that is not an MNIST-style IDX directory: anything {@code spark.read.format(format).load(path)}
 * reads (Parquet, ORC, JSON, Delta, ... — whatever the cluster has a source for) holding a {@code features} column
 * (an ML vector or an array of floats/doubles, values in [0, 1], D per row) and optionally an integer {@code label}.
 * Read by the executors only; a job in one JVM without Spark refuses it.
 *
 * @param train the rows to train on ({@code evaluate}: the rows to evaluate when {@code test} is null)
 * @param test the held-out rows ({@code train}: the per-epoch test ELBO; without them there is none), or null
 * @param format a Spark data source name ({@code parquet}, ...)
 * @param shape the images' height x width, or null: from the column's metadata ({@code rows}, {@code cols}) if it
 *              has them, else unknown (the MLP takes any D; the CNN needs 28x28)
 */
public record FrameSource(String train, String test, String format, ImageShape shape) {
    public FrameSource {
        if (format == null || format.isBlank() || format.equals("idx")) {
            throw new OptionException("{dataFormat} must name a Spark data source other than idx, got %s", format);
        }
        if (train == null || train.isBlank()) {
            throw new OptionException("{data} must name the %s rows to read", format);
        }
    }

    /** Refuses a job without Spark ({@code spark} false): only executors read rows from a data source. */
    public void requireSpark(boolean spark) {
        if (!spark) {
            throw new OptionException("{dataFormat} %s: rows from a Spark data source are read by Spark's executors; drop "
                    + "{singleJvm} (one JVM reads IDX files only)", format);
        }
    }
}
