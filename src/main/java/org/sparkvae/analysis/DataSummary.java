package org.sparkvae.analysis;

import org.sparkvae.data.FeatureColumn;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.source.IdxDataSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sparkvae.spark.SparkSetup;

/**
 * What an IDX dataset holds, computed by the executors through the {@code idx} data source: the image count,
 * images per label (a pass that reads no pixels) and the mean pixel in the data mode's scale. The driver gets
 * only the results (a count per label and one vector of per-pixel means), so its heap does not bound the data.
 */
public record DataSummary(String path, String split, String mode, long count, Map<Integer, Long> perLabel, double meanPixel,
                          int rows, int cols) {
    /** The whole {@code data-stats} job: opens Spark as {@code setup} says, describes the data, closes Spark. */
    public static DataSummary run(SparkSetup setup, String path, String split, DataMode mode) {
        try (SparkSession session = setup.session("spark-vae data-stats")) {
            return compute(session, SparkSetup.absolute(path), split, mode);
        }
    }

    public static DataSummary compute(SparkSession spark, String path, String split, DataMode mode) {
        Dataset<Row> df = spark.read().format(IdxDataSource.SHORT_NAME).option("mode", mode.cliName()).option("split", split)
                .load(path);
        Map<Integer, Long> perLabel = new TreeMap<>();
        long count = 0;
        for (Row r : df.groupBy("label").count().collectAsList()) {
            perLabel.put(r.getInt(0), r.getLong(1));
            count += r.getLong(1);
        }
        double mean = Double.NaN;
        if (count > 0) {
            List<Row> means = df.select(Summarizer.mean(df.col("features")).as("mean")).collectAsList();
            double[] perPixel = ((Vector) means.get(0).get(0)).toArray();
            double sum = 0;
            for (double v : perPixel) {
                sum += v;
            }
            mean = sum / perPixel.length;
        }
        org.apache.spark.sql.types.Metadata meta = df.schema().apply("features").metadata();
        return new DataSummary(path, split, mode.cliName(), count, perLabel, mean, (int) meta.getLong(FeatureColumn.ROWS), (int) meta.getLong(FeatureColumn.COLS));
    }

    /** One line: count, shape, mean pixel and images per label. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%d images of %dx%d (%s), mean pixel %.6f, per label %s", count, rows, cols, mode,
                meanPixel, perLabel);
    }
}
