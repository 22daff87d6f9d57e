package org.sparkvae.data;

import java.io.IOException;

/**
 * Finds a run's data directory when the run is ready to read it — after its cheap checks (existing outputs, the
 * model file), so bad input fails before a default directory is fetched. The CLI's may fetch MNIST into its
 * default directory; a library caller passes {@code () -> new MnistFiles(dir)}.
 */
@FunctionalInterface
public interface DataLocator {
    MnistFiles locate() throws IOException;
}
