package org.sparkvae.spark;

import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.sparkvae.data.IdxFormatException;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Ends a job at the first task that failed on bad data instead of letting Spark retry it. A cluster retries a
 * failed task {@code spark.task.maxFailures} (4) times, which helps with a lost executor but not with a truncated
 * file or a label outside the declared classes: those fail the same way every time, after four reads. This listener
 * cancels the task's stage when it sees such a failure; the job then fails with Spark's "Job N cancelled because
 * MESSAGE", which {@link #message} turns back into the data error's own line. (Spark aborts at once only for a few
 * exception classes of its own; there is no hook to declare one's own exception non-retryable.)
 */
public final class FailFast extends SparkListener {
    /**
     * Exceptions of a task that retrying cannot cure: the data is what it is. Ours, and what Spark's own file sources
     * throw on a damaged or mistyped file (found anywhere in the task's exception chain: Spark wraps them).
     */
    static final Set<String> DETERMINISTIC = Set.of(IdxFormatException.class.getName(),
            "org.apache.parquet.io.ParquetDecodingException", "org.apache.parquet.io.ParquetRuntimeException",
            "org.apache.parquet.crypto.ParquetCryptoRuntimeException", "org.apache.orc.FileFormatException",
            "com.fasterxml.jackson.core.JsonParseException", "org.apache.spark.sql.catalyst.util.BadRecordException",
            "org.apache.spark.sql.execution.datasources.SchemaColumnConvertNotSupportedException",
            "java.io.EOFException", "java.io.FileNotFoundException",
            "java.util.zip.ZipException", "org.apache.hadoop.fs.ChecksumException");
    /** Messages of plain RuntimeExceptions that Parquet's footer reader throws for a file that is not (whole) Parquet. */
    private static final java.util.regex.Pattern NOT_PARQUET = java.util.regex.Pattern.compile(
            ".* is not a Parquet file.*|.*Expected magic number at tail.*|.*can not read class org\\.apache\\.parquet.*");
    private static final java.util.regex.Pattern TRACE_LINE = java.util.regex.Pattern.compile("^(?:Caused by: )?([\\w.$]+)(?:: (.*))?$");

    private static final java.util.regex.Pattern CANCELLED = java.util.regex.Pattern.compile("^Job \\d+ cancelled because (.*)$",
            java.util.regex.Pattern.DOTALL);
    private static final Set<SparkContext> INSTALLED = Collections.newSetFromMap(new WeakHashMap<>());

    private final SparkContext sc;

    private FailFast(SparkContext sc) {
        this.sc = sc;
    }

    /** Adds the listener to {@code sc} once. */
    public static synchronized void install(SparkContext sc) {
        if (INSTALLED.add(sc)) {
            sc.addSparkListener(new FailFast(sc));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof ExceptionFailure f && !sc.isStopped()) {
            String line = dataError(f.className(), f.description(), f.fullStackTrace());
            if (line != null) {
                sc.cancelStage(end.stageId(), line);
            }
        }
    }

    /**
     * The data error's own line if a task failed on bad data (its exception, or one it was caused by, is
     * {@link #DETERMINISTIC}), else null: a lost executor or any other failure is left to Spark's retries.
     */
    static String dataError(String className, String description, String fullStackTrace) {
        if (DETERMINISTIC.contains(className)) {
            return description;
        }
        String found = null;
        for (String line : (fullStackTrace == null ? "" : fullStackTrace).split("\n")) {
            java.util.regex.Matcher m = TRACE_LINE.matcher(line.strip());
            if (!line.startsWith("\t") && m.matches() && m.group(1).contains(".")) {
                String cls = m.group(1);
                String msg = m.group(2) == null ? "" : m.group(2);
                if (DETERMINISTIC.contains(cls) || (cls.equals("java.lang.RuntimeException") && NOT_PARQUET.matcher(msg).matches())) {
                    found = msg.isEmpty() ? cls : msg; // the deepest such cause: its own words
                }
            }
        }
        return found;
    }

    /** A driver-side failure whose chain holds a data error: that error's line; else null. */
    public static String dataError(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return dataError(t.getClass().getName(), t.getMessage(), w.toString());
    }

    /** A job cancelled by this listener: the data error's own message; any other message as it is. */
    public static String message(String sparkMessage) {
        if (sparkMessage == null) {
            return null;
        }
        java.util.regex.Matcher m = CANCELLED.matcher(sparkMessage);
        return m.matches() ? m.group(1) : sparkMessage;
    }
}
