package org.sparkvae.io;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CSV text of a small table of maps, in the given column order: integers as they are, other
 * numbers with six decimals, text quoted when it holds a comma or a quote, absent values empty.
 */
public final class CsvTable {
    private CsvTable() { }

    public static String format(List<String> columns, List<Map<String, Object>> rows) {
        return format(columns, rows, Map::get);
    }

    /** As above for rows of any type: {@code value.apply(row, column)} gives a cell (null: empty). */
    public static <T> String format(List<String> columns, List<T> rows, java.util.function.BiFunction<T, String, Object> value) {
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (T r : rows) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Object v = value.apply(r, columns.get(i));
                if (v instanceof Integer || v instanceof Long) {
                    out.append(v);
                } else if (v instanceof Number n) {
                    out.append(String.format(Locale.ROOT, "%.6f", n.doubleValue()));
                } else if (v != null) {
                    String s = String.valueOf(v);
                    out.append(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
