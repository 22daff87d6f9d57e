package org.sparkvae.model.store;

import org.sparkvae.model.VaeConfig;

import org.sparkvae.train.Distribution;
import org.sparkvae.train.EpochRecord;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to use and to trust a saved model: its architecture, how it was trained, on
 * which data (with a checksum), with which software, and what it achieved. Saved inside the model
 * zip and as a JSON file beside it.
 *
 * @param dataMode "binary" or "continuous": evaluate/sample use it, so no flag needs repeating
 * @param trainImagesMd5 MD5 of the uncompressed training images (null if not computed)
 * @param epochMetrics one record per epoch trained (the test terms where they were evaluated)
 * @param distribution how Spark trained it; null for a model trained in one JVM without Spark
 */
public record ModelInfo(
        VaeConfig config,
        String dataMode,
        String dataset,
        String dataDir,
        String trainImagesMd5,
        int epochs,
        int batchSize,
        long seed,
        Map<String, String> versions,
        String createdAt,
        List<EpochRecord> epochMetrics,
        Distribution distribution) {

    /** A model trained in one JVM, without Spark. */
    public ModelInfo(VaeConfig config, String dataMode, String dataset, String dataDir, String trainImagesMd5, int epochs,
                     int batchSize, long seed, Map<String, String> versions, String createdAt,
                     List<EpochRecord> epochMetrics) {
        this(config, dataMode, dataset, dataDir, trainImagesMd5, epochs, batchSize, seed, versions, createdAt,
                epochMetrics, null);
    }
}
