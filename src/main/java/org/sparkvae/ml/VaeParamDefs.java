package org.sparkvae.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.VaeConfig;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import org.sparkvae.exec.TrainingSettings;

/**
 * The one place where the ML stages' Params are named, documented and validated (Spark's
 * {@link ParamValidators}, so bad values get Spark's own message). The stages create them in their
 * constructors, after the uid is set: a {@link Param} reads its parent's uid when built. Defaults are
 * the CLI's ({@link VaeConfig} and the train command).
 */
final class VaeParamDefs {
    private VaeParamDefs() { }

    static final String DEFAULT_FEATURES = "features";
    static final String DEFAULT_MU = "mu";
    static final String DEFAULT_SAMPLE = "z";
    static final String DEFAULT_NEG_ELBO = "neg_elbo";
    static final String DEFAULT_RECON = "recon";
    static final String DEFAULT_KL = "kl";
    static final int DEFAULT_MAX_ITER = TrainingSettings.DEFAULT_EPOCHS;
    static final int DEFAULT_BATCH_SIZE = TrainingSettings.DEFAULT_BATCH_SIZE;
    static final int DEFAULT_AVERAGING_FREQUENCY = TrainingSettings.DEFAULT_AVERAGING_FREQUENCY;
    static final long DEFAULT_SEED = TrainingSettings.DEFAULT_SEED;

    static Param<String> featuresCol(Identifiable p) {
        return new Param<>(p, "featuresCol", "features column: a vector or an array of floats/doubles in [0, 1]",
                new Validator<String>(v -> !v.isBlank()));
    }

    static Param<String> column(Identifiable p, String name, String doc) {
        return new Param<>(p, name, doc, new Validator<String>(v -> !v.isBlank()));
    }

    static Param<String> muCol(Identifiable p) {
        return column(p, "muCol", "output column of the posterior means mu (a vector of latentDim)");
    }

    static Param<String> sampleCol(Identifiable p) {
        return column(p, "sampleCol", "output column of one draw z ~ q(z|x) per row (mu when sampling is off)");
    }

    static Param<String> negElboCol(Identifiable p) {
        return column(p, "negElboCol", "output column of the row's -ELBO (nats; recon + kl): an anomaly score");
    }

    static Param<String> reconCol(Identifiable p) {
        return column(p, "reconCol", "output column of the row's reconstruction term -log p(x|z)");
    }

    static Param<String> klCol(Identifiable p) {
        return column(p, "klCol", "output column of the row's KL(q(z|x) || p(z)) (its one-sample estimate for mog and vamp)");
    }

    static BooleanParam sampling(Identifiable p) {
        return new BooleanParam(p, "sampling", "draw z ~ q(z|x), seeded from (seed, row index) (true), or use z = mu (false)");
    }

    static LongParam seed(Identifiable p) {
        return new LongParam(p, "seed", "random seed: initialisation, shuffling and training noise; the per-row draws of transform");
    }

    static IntParam batchSize(Identifiable p) {
        return new IntParam(p, "batchSize", "training minibatch size, per worker", ParamValidators.gt(0));
    }

    /**
     * Rows per forward pass when scoring: its own Param, not {@link #batchSize}. Spark's copyValues carries every Param
     * the fitted model shares with its estimator, so one shared name made a fitted model score 128 rows at a time.
     */
    static IntParam scoringBatchSize(Identifiable p) {
        return new IntParam(p, "scoringBatchSize", "rows per forward pass when scoring (transform) and evaluating the "
                + "validation rows", ParamValidators.gt(0));
    }

    static IntParam latentDim(Identifiable p) {
        return new IntParam(p, "latentDim", "latent dimension M (> 0)", ParamValidators.gt(0));
    }

    static Param<String> prior(Identifiable p) {
        return new Param<>(p, "prior", "prior p(z): " + names(PriorKind.class), ParamValidators.inArray(namesArray(PriorKind.class)));
    }

    static IntParam numComponents(Identifiable p) {
        return new IntParam(p, "numComponents", "mixture components (prior mog) or pseudo-inputs (prior vamp), in [1, 10000]",
                ParamValidators.inRange(1, 10_000));
    }

    static Param<String> likelihood(Identifiable p) {
        return new Param<>(p, "likelihood", "observation model p(x|z): " + names(LikelihoodKind.class),
                ParamValidators.inArray(namesArray(LikelihoodKind.class)));
    }

    static Param<String> variance(Identifiable p) {
        return new Param<>(p, "variance", "Gaussian likelihood: 'learned' (one sigma per pixel) or a fixed positive variance",
                new Validator<String>(v -> "learned".equals(v) || positiveNumber(v)));
    }

    static Param<String> arch(Identifiable p) {
        return new Param<>(p, "arch", "encoder/decoder networks: " + names(Architecture.class),
                ParamValidators.inArray(namesArray(Architecture.class)));
    }

    static IntParam levels(Identifiable p) {
        return new IntParam(p, "levels", "latent levels: 1, or 2 for the hierarchical VAE (Gaussian prior only)",
                ParamValidators.inArray(new int[] {1, 2}));
    }

    static IntParam maxIter(Identifiable p) {
        return new IntParam(p, "maxIter", "training epochs (>= 0)", ParamValidators.gtEq(0));
    }

    static DoubleParam stepSize(Identifiable p) {
        return new DoubleParam(p, "stepSize", "Adam's learning rate (> 0)",
                new Validator<Object>(v -> (Double) v > 0 && !Double.isInfinite((Double) v)));
    }

    static IntParam numWorkers(Identifiable p) {
        return new IntParam(p, "numWorkers", "workers (partitions) whose models are averaged; unset: 1 on a local master, "
                + "Spark's default parallelism on a cluster", ParamValidators.gt(0));
    }

    static IntParam averagingFrequency(Identifiable p) {
        return new IntParam(p, "averagingFrequency", "minibatches each worker fits between parameter averagings (> 0)",
                ParamValidators.gt(0));
    }

    static Param<String> metricName(Identifiable p) {
        return new Param<>(p, "metricName", "the column mean to report: negElbo, recon or kl (smaller is better)",
                ParamValidators.inArray(new String[] {"negElbo", "recon", "kl"}));
    }

    private static boolean positiveNumber(String v) {
        try {
            double d = Double.parseDouble(v);
            return d > 0 && !Double.isInfinite(d);
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
    }

    static <E extends Enum<E>> String[] namesArray(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return String.join("|", namesArray(type));
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    /** A serializable validator (Params travel with the stage) from a Java predicate. */
    private static final class Validator<T> extends scala.runtime.AbstractFunction1<T, Object> implements Serializable {
        private final SerializablePredicate<T> test;

        Validator(SerializablePredicate<T> test) {
            this.test = test;
        }

        @Override
        public Object apply(T value) {
            return value != null && test.test(value);
        }
    }

    interface SerializablePredicate<T> extends java.util.function.Predicate<T>, Serializable { }
}
