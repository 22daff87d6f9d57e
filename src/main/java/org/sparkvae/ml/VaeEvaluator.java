package org.sparkvae.ml;

import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

import java.util.Arrays;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;

/**
 * The mean of a {@link VaeModel#transform} output column: {@code metricName} {@code negElbo} (default: the
 * test -ELBO in nats per image when given the test set), {@code recon} or {@code kl}. Smaller is better, so
 * {@code CrossValidator} and {@code TrainValidationSplit} minimise it.
 */
public final class VaeEvaluator extends Evaluator implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> metricName;
    private final Param<String> negElboCol;
    private final Param<String> reconCol;
    private final Param<String> klCol;

    public VaeEvaluator() {
        this(Identifiable$.MODULE$.randomUID("vaeEval"));
    }

    public VaeEvaluator(String uid) {
        this.uid = uid;
        metricName = VaeParamDefs.metricName(this);
        negElboCol = VaeParamDefs.negElboCol(this);
        reconCol = VaeParamDefs.reconCol(this);
        klCol = VaeParamDefs.klCol(this);
        setDefault(metricName, "negElbo");
        setDefault(negElboCol, VaeParamDefs.DEFAULT_NEG_ELBO);
        setDefault(reconCol, VaeParamDefs.DEFAULT_RECON);
        setDefault(klCol, VaeParamDefs.DEFAULT_KL);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> metricName() { return metricName; }
    public Param<String> negElboCol() { return negElboCol; }
    public Param<String> reconCol() { return reconCol; }
    public Param<String> klCol() { return klCol; }

    public String getMetricName() { return getOrDefault(metricName); }

    public VaeEvaluator setMetricName(String v) { set(metricName, v); return this; }
    public VaeEvaluator setNegElboCol(String v) { set(negElboCol, v); return this; }
    public VaeEvaluator setReconCol(String v) { set(reconCol, v); return this; }
    public VaeEvaluator setKlCol(String v) { set(klCol, v); return this; }

    @Override
    public double evaluate(Dataset<?> dataset) {
        String column = switch (getMetricName()) {
            case "recon" -> getOrDefault(reconCol);
            case "kl" -> getOrDefault(klCol);
            default -> getOrDefault(negElboCol);
        };
        if (!Arrays.asList(dataset.schema().fieldNames()).contains(column)) {
            throw new IllegalArgumentException("metricName " + getMetricName() + ": column " + column
                    + " does not exist; evaluate the output of VaeModel.transform");
        }
        Row mean = dataset.select(avg(col(column).cast(DataTypes.DoubleType))).first();
        if (mean.isNullAt(0)) {
            throw new IllegalArgumentException("metricName " + getMetricName() + ": the DataFrame has no rows");
        }
        return mean.getDouble(0);
    }

    @Override
    public boolean isLargerBetter() {
        return false;
    }

    @Override
    public VaeEvaluator copy(ParamMap extra) {
        return (VaeEvaluator) defaultCopy(extra);
    }

    public static MLReader<VaeEvaluator> read() {
        return new DefaultParamsReader<>();
    }

    public static VaeEvaluator load(String path) {
        return read().load(path);
    }
}
