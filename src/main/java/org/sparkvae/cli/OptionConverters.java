package org.sparkvae.cli;

import org.sparkvae.data.DataMode;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;

import java.util.Locale;
import org.sparkvae.sweep.SweepRunner;

/**
 * picocli converters for the options with a fixed set of words, keeping the CLI's one-line messages
 * ("--prior must be one of gaussian|mog|vamp, got 'laplace'") and their exit status 1: {@link SparkVaeCli} prints
 * an {@link OptionValueException}'s message as it is instead of picocli's usage error.
 */
final class OptionConverters {
    private OptionConverters() { }

    /** A bad option value, worded for the user. */
    static final class OptionValueException extends CommandLine.TypeConversionException {
        OptionValueException(String message) {
            super(message);
        }
    }

    /** "--option must be one of a|b|c, got 'x'". */
    static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : "|").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new OptionValueException(option + " must be one of " + allowed + ", got '" + value + "'");
        }
    }

    private abstract static class EnumOption<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;
        private final String option;

        EnumOption(Class<E> type, String option) {
            this.type = type;
            this.option = option;
        }

        @Override
        public E convert(String value) {
            return parse(type, option, value);
        }
    }

    static final class Prior extends EnumOption<PriorKind> {
        Prior() {
            super(PriorKind.class, "--prior");
        }
    }

    static final class Likelihood extends EnumOption<LikelihoodKind> {
        Likelihood() {
            super(LikelihoodKind.class, "--likelihood");
        }
    }

    static final class Arch extends EnumOption<Architecture> {
        Arch() {
            super(Architecture.class, "--arch");
        }
    }

    static final class Mode extends EnumOption<DataMode> {
        Mode() {
            super(DataMode.class, "--data-mode");
        }
    }

    static final class Parallel extends EnumOption<SweepRunner.Parallelism> {
        Parallel() {
            super(SweepRunner.Parallelism.class, "--parallel");
        }
    }

    /** {@code --variance}: "learned" (null: one learned sigma per pixel) or a number (checked by the model). */
    static final class Variance implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            if ("learned".equalsIgnoreCase(value.trim())) {
                return null;
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new OptionValueException("--variance must be 'learned' or a positive number, got '" + value + "'");
            }
        }
    }
}
