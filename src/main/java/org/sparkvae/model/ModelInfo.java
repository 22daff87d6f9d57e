package org.sparkvae.model;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to use and to trust a saved model: its architecture, how it was trained, on
 * which data (with a checksum), with which software, and what it achieved. Saved inside the model
 * zip and as a JSON file beside it.
 *
 * @param dataMode "binary" or "continuous": evaluate/sample use it, so no flag needs repeating
 * @param trainImagesMd5 MD5 of the uncompressed training images (null if not computed)
 * @param epochMetrics one map per epoch (epoch, train_neg_elbo, seconds, samples_per_second)
 * @param distribution how Spark trained it ({@code master}, {@code workers}, {@code averaging_frequency});
 *                     null for a model trained in one JVM without Spark
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
        List<Map<String, Object>> epochMetrics,
        Map<String, Object> distribution) {

    /** A model trained in one JVM, without Spark. */
    public ModelInfo(VaeConfig config, String dataMode, String dataset, String dataDir, String trainImagesMd5, int epochs,
                     int batchSize, long seed, Map<String, String> versions, String createdAt,
                     List<Map<String, Object>> epochMetrics) {
        this(config, dataMode, dataset, dataDir, trainImagesMd5, epochs, batchSize, seed, versions, createdAt,
                epochMetrics, null);
    }
}
