package org.sparkvae.notebooks;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.zeppelin.interpreter.InterpreterHookRegistry;
import org.apache.zeppelin.interpreter.ZeppelinContext;

import java.util.List;
import java.util.Map;

/**
 * The harness's {@code z}: Zeppelin's own {@link ZeppelinContext} (its forms read the GUI the harness fills
 * with the given values, exactly as the server's), with {@code show} rendering a Dataset as Zeppelin's
 * Spark interpreter does — a {@code %table} of at most {@code maxResult} rows — except that a result the
 * server would truncate fails the paragraph, so no chart silently shows part of its data.
 */
public final class HarnessContext extends ZeppelinContext {
    public HarnessContext(int maxResult) {
        super(new InterpreterHookRegistry(), maxResult);
    }

    @Override
    public Map<String, String> getInterpreterClassMap() {
        return Map.of("spark", "org.apache.zeppelin.spark.SparkInterpreter", "sql", "org.apache.zeppelin.spark.SparkSqlInterpreter");
    }

    @Override
    public List<Class> getSupportedClasses() {
        return List.of(Dataset.class);
    }

    @Override
    public String showData(Object obj, int maxResult) {
        Dataset<?> df = (Dataset<?>) obj;
        List<Row> rows = df.toDF().limit(maxResult + 1).collectAsList();
        return table(df.columns(), rows, maxResult);
    }

    /** Zeppelin's {@code %table} text; more than {@code maxResult} rows is an error (the server would truncate). */
    static String table(String[] columns, List<Row> rows, int maxResult) {
        if (rows.size() > maxResult) {
            throw new IllegalStateException("the result has more than " + maxResult + " rows: Zeppelin would show only the "
                    + "first " + maxResult + " (zeppelin.spark.maxResult)");
        }
        StringBuilder t = new StringBuilder("%table ").append(String.join("\t", columns)).append('\n');
        for (Row r : rows) {
            for (int i = 0; i < r.length(); i++) {
                t.append(i == 0 ? "" : "\t").append(String.valueOf(r.get(i)).replace('\t', ' ').replace('\n', ' '));
            }
            t.append('\n');
        }
        return t.toString();
    }
}
