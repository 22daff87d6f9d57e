package org.sparkvae.data;

import java.io.IOException;
import java.nio.file.Path;

/** Real datasets for integration tests, fetched once per build into target/it-data. */
public final class RealData {
    private RealData() { }

    public static synchronized Path mnist() throws IOException {
        return fetch(KnownDataset.MNIST);
    }

    public static synchronized Path fashion() throws IOException {
        return fetch(KnownDataset.FASHION);
    }

    private static Path fetch(KnownDataset d) throws IOException {
        Path dir = Path.of("target", "it-data", d.cliName()).toAbsolutePath();
        new DatasetFetcher(dir).fetch(d);
        return dir;
    }
}
