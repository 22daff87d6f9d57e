package org.sparkvae.io;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The CSV text of a small table, in the given column order: integers as they are, other numbers with six
 * decimals, absent values empty. Written by jackson-dataformat-csv, so text is quoted as RFC 4180 asks (fields
 * holding a comma, a quote or a line break; quotes doubled).
 */
public final class CsvTable {
    // Strict check: quote only the fields that need it (a separator, a quote, a line break). The quick default
    // also quotes many plain values (paths, timestamps), which readers that split on commas would then misread.
    private static final CsvMapper CSV = CsvMapper.builder().enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();

    private CsvTable() { }

    public static String format(List<String> columns, List<Map<String, Object>> rows) {
        return format(columns, rows, Map::get);
    }

    /** As above for rows of any type: {@code value.apply(row, column)} gives a cell (null: empty). */
    public static <T> String format(List<String> columns, List<T> rows, BiFunction<T, String, Object> value) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\n");
        columns.forEach(schema::addColumn);
        StringWriter out = new StringWriter();
        try (SequenceWriter w = CSV.writer(schema.build()).writeValues(out)) {
            for (T r : rows) {
                List<String> cells = new ArrayList<>(columns.size());
                for (String c : columns) {
                    cells.add(cell(value.apply(r, c)));
                }
                w.write(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Number n) {
            return String.format(Locale.ROOT, "%.6f", n.doubleValue());
        }
        return String.valueOf(v);
    }
}
