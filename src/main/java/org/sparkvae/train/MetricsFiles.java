package org.sparkvae.train;

import org.sparkvae.run.EpochRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.sparkvae.plot.TrainingCurvePlot;
import org.sparkvae.io.HadoopFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sparkvae.io.CsvTable;
import org.sparkvae.io.WorkDirs;

/**
 * The per-epoch metrics of a training run, rewritten after every epoch beside the model:
 * {@code NAME.metrics.csv}, {@code NAME.metrics.parquet} (one Parquet file: Spark, pandas and
 * Zeppelin read it directly) and {@code NAME.curves.png}. Each is written to a temporary file and
 * renamed into place, on any Hadoop path. As a {@link TrainingListener}, it rewrites them after every epoch.
 */
public final class MetricsFiles implements TrainingListener {
    /** Columns, in order; the test ones are absent (null in Parquet, empty in CSV) when not evaluated. */
    public static final List<String> COLUMNS = EpochRecord.COLUMNS;
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message epoch_metrics {"
            + " required int32 epoch; required double train_neg_elbo; optional double test_neg_elbo;"
            + " optional double test_recon; optional double test_kl; required double seconds;"
            + " required double samples_per_second; }");

    private final String csv;
    private final String parquet;
    private final String png;
    private final String modelDescription;

    public MetricsFiles(String csv, String parquet, String png, String modelDescription) {
        this.csv = csv;
        this.parquet = parquet;
        this.png = png;
        this.modelDescription = modelDescription;
    }

    @Override
    public void onEpoch(EpochRecord epoch, List<EpochRecord> history) throws IOException {
        write(history);
    }

    public void write(List<EpochRecord> history) throws IOException {
        HadoopFiles.writeString(csv, csv(history));
        Path work = WorkDirs.create("metrics");
        try {
            Path localParquet = work.resolve("metrics.parquet");
            writeParquet(history, localParquet);
            HadoopFiles.publish(localParquet, parquet);
            Path localPng = work.resolve("curves.png");
            TrainingCurvePlot.writePng(history, modelDescription, localPng);
            HadoopFiles.publish(localPng, png);
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
    }

    static String csv(List<EpochRecord> history) {
        return CsvTable.format(COLUMNS, history, EpochRecord::get);
    }

    private static void writeParquet(List<EpochRecord> history, Path file) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        Configuration conf = new Configuration();
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(conf).withType(SCHEMA).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (EpochRecord r : history) {
                Group g = groups.newGroup();
                g.add(EpochRecord.EPOCH, r.epoch());
                g.add(EpochRecord.TRAIN_NEG_ELBO, r.trainNegElbo());
                for (String optional : List.of(EpochRecord.TEST_NEG_ELBO, EpochRecord.TEST_RECON, EpochRecord.TEST_KL)) {
                    if (r.get(optional) != null) {
                        g.add(optional, r.get(optional).doubleValue());
                    }
                }
                g.add(EpochRecord.SECONDS, r.seconds());
                g.add(EpochRecord.SAMPLES_PER_SECOND, r.samplesPerSecond());
                writer.write(g);
            }
        }
        // Hadoop's local file system leaves a .crc beside the file; it is not part of the output.
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }
}
