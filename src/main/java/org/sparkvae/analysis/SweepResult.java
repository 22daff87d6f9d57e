package org.sparkvae.analysis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkvae.run.ElboReport;
import org.sparkvae.run.EpochRecord;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished configuration of a sweep: its settings (a {@code SweepConfig}'s), its test metrics, how long it
 * trained, in which mode and where its model is. The JSON of {@code results/KEY.json} (field names as written since
 * the first release, so earlier sweeps resume) and one row of {@code results.csv} / {@code results.parquet}, whose
 * columns ({@link #COLUMNS}) and Spark schema ({@link #SCHEMA}) are derived from this record: the one place the
 * table's fields are named.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"key", "latentDim", "prior", "components", "likelihood", "variance", "arch", "levels", "seed", "epochs",
        "batchSize", "learningRate", "dataset", "trainImages", "iwaeK", "iwaeImages", EpochRecord.TEST_NEG_ELBO,
        EpochRecord.TEST_RECON, EpochRecord.TEST_KL, "test_nll_iwae", "iwae_k", "seconds", "mode", "model", "finished_at"})
public record SweepResult(
        @JsonProperty("key") String key,
        @JsonProperty("latentDim") int latentDim,
        @JsonProperty("prior") String prior,
        @JsonProperty("components") int components,
        @JsonProperty("likelihood") String likelihood,
        @JsonProperty("variance") String variance,
        @JsonProperty("arch") String arch,
        @JsonProperty("levels") int levels,
        @JsonProperty("seed") long seed,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("batchSize") int batchSize,
        @JsonProperty("learningRate") double learningRate,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("trainImages") int trainImages,
        @JsonProperty("iwaeK") int iwaeKSetting,
        @JsonProperty("iwaeImages") int iwaeImages,
        @JsonProperty(EpochRecord.TEST_NEG_ELBO) double testNegElbo,
        @JsonProperty(EpochRecord.TEST_RECON) double testRecon,
        @JsonProperty(EpochRecord.TEST_KL) double testKl,
        @JsonProperty("test_nll_iwae") Double testNllIwae,
        @JsonProperty("iwae_k") int iwaeK,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("mode") String mode,
        @JsonProperty("model") String model,
        @JsonProperty("finished_at") String finishedAt) {

    /** The table's columns, in order (the configuration's {@code iwaeK}/{@code iwaeImages} settings stay in the JSON only). */
    public static final List<String> COLUMNS = List.of("key", "latentDim", "prior", "components", "likelihood", "variance",
            "arch", "levels", "seed", "epochs", "batchSize", "learningRate", "dataset", "trainImages",
            EpochRecord.TEST_NEG_ELBO, EpochRecord.TEST_RECON, EpochRecord.TEST_KL, "test_nll_iwae", "iwae_k", "seconds", "mode",
            "model", "finished_at");

    /** The table's Spark schema: {@link #COLUMNS} typed from this record's components. */
    public static final StructType SCHEMA = schema();

    /** This result as a table row: column name to value (boxed numbers, so the CSV writes integers and decimals apart). */
    public Map<String, Object> row() {
        Map<String, Object> row = new LinkedHashMap<>();
        for (RecordComponent rc : SweepResult.class.getRecordComponents()) {
            String name = rc.getAccessor().getAnnotation(JsonProperty.class).value(); // JsonProperty reaches the accessor, not the component
            if (COLUMNS.contains(name)) {
                try {
                    row.put(name, rc.getAccessor().invoke(this));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return row;
    }

    private static StructType schema() {
        Map<String, StructField> byName = new LinkedHashMap<>();
        for (RecordComponent rc : SweepResult.class.getRecordComponents()) {
            String name = rc.getAccessor().getAnnotation(JsonProperty.class).value(); // JsonProperty reaches the accessor, not the component
            Class<?> t = rc.getType();
            DataType type = t == int.class ? DataTypes.IntegerType : t == long.class ? DataTypes.LongType
                    : t == double.class || t == Double.class ? DataTypes.DoubleType : DataTypes.StringType;
            byName.put(name, DataTypes.createStructField(name, type, true)); // nullable: results of earlier versions may lack a field
        }
        List<StructField> fields = new ArrayList<>();
        for (String c : COLUMNS) {
            fields.add(byName.get(c));
        }
        return DataTypes.createStructType(fields);
    }
}
