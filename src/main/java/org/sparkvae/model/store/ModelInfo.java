package org.sparkvae.model.store;

import org.sparkvae.model.VaeConfig;

import org.sparkvae.run.Topology;
import org.sparkvae.run.EpochRecord;

import java.util.List;
import java.util.Map;
import org.sparkvae.data.ImageShape;

/**
 * Everything needed to use and to trust a saved model: its architecture, how it was trained, on
 * which data (with a checksum), with which software, and what it achieved. Saved inside the model
 * zip and as a JSON file beside it.
 *
 * @param dataMode "binary" or "continuous": evaluate/sample use it, so no flag needs repeating
 * @param trainImagesMd5 MD5 of the uncompressed training images (null if not computed)
 * @param epochMetrics one record per epoch trained (the test terms where they were evaluated)
 * @param distribution how Spark trained it; null for a model trained in one JVM without Spark
 * @param imageShape the images' height x width; null: 28x28 for a 784-input model (every model before this field),
 *                   else unknown (rows from a data source that gave none)
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
        Topology distribution,
        // absent from the JSON when null, so the info of earlier models round-trips unchanged
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        ImageShape imageShape) {

    /** Without an image shape (see {@code imageShape}). */
    public ModelInfo(VaeConfig config, String dataMode, String dataset, String dataDir, String trainImagesMd5, int epochs,
                     int batchSize, long seed, Map<String, String> versions, String createdAt,
                     List<EpochRecord> epochMetrics, Topology distribution) {
        this(config, dataMode, dataset, dataDir, trainImagesMd5, epochs, batchSize, seed, versions, createdAt,
                epochMetrics, distribution, null);
    }

    /** The images' shape: the recorded one, or 28x28 for a 784-input model that recorded none; null when unknown. */
    public ImageShape shape() {
        if (imageShape != null) {
            return imageShape;
        }
        return config.inputSize() == VaeConfig.MNIST_PIXELS ? ImageShape.MNIST : null;
    }

    /** A model trained in one JVM, without Spark. */
    public ModelInfo(VaeConfig config, String dataMode, String dataset, String dataDir, String trainImagesMd5, int epochs,
                     int batchSize, long seed, Map<String, String> versions, String createdAt,
                     List<EpochRecord> epochMetrics) {
        this(config, dataMode, dataset, dataDir, trainImagesMd5, epochs, batchSize, seed, versions, createdAt,
                epochMetrics, null, null);
    }
}
