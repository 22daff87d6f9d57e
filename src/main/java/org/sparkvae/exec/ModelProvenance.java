package org.sparkvae.exec;

import org.sparkvae.io.Provenance;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.run.Topology;

import java.time.Instant;
import java.util.List;

/**
 * The one place a trained model's {@link ModelInfo} is built, for {@code train}'s checkpoints and model, a sweep's
 * models and a Spark ML fit alike: the configuration, the data it saw (mode, dataset, location, checksum, image
 * shape), the settings, the software versions, the epochs' records and the topology it ran on.
 */
public final class ModelProvenance {
    private ModelProvenance() { }

    /** After {@code epochs} epochs whose records are {@code history}; {@code topology} null in one JVM. */
    public static ModelInfo of(VaeConfig config, TrainingData data, TrainingSettings settings, int epochs,
                               List<EpochRecord> history, Topology topology) {
        return new ModelInfo(config, config.likelihood().dataMode().cliName(), data.datasetCliName(), data.location(), data.md5(),
                epochs, settings.batchSize(), settings.seed(), Provenance.versions(), Instant.now().toString(), List.copyOf(history),
                topology, data.shape());
    }
}
