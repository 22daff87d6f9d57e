package org.sparkvae.spark;

import org.apache.spark.ExceptionFailure;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
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
 * exception classes of its own; there is no hook to declare one's own exception non-retryable.) An executor YARN
 * killed for exceeding its memory limit, or a task out of its executor's heap, ends the job the same way, with a line
 * naming the setting to raise.
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
    private static volatile String lastMemoryKill;
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
        if (sc.isStopped()) {
            return;
        }
        String line = null;
        if (end.reason() instanceof ExceptionFailure f) {
            line = dataError(f.className(), f.description(), f.fullStackTrace());
            if (line == null && !sc.isLocal() && "java.lang.OutOfMemoryError".equals(f.className())) {
                line = heapExhausted(end.taskInfo().executorId(), f.description());
                lastMemoryKill = line;
            }
        } else if (end.reason() instanceof ExecutorLostFailure lost && lost.exitCausedByApp() && lost.reason().isDefined()) {
            line = executorLost(lost.execId(), lost.reason().get());
            lastMemoryKill = line != null ? line : lastMemoryKill;
        }
        if (line != null) {
            sc.cancelStage(end.stageId(), line);
        }
    }

    /**
     * An executor YARN killed for memory, seen as the executor goes (also when no task was running on it, e.g. while
     * it started, where no task failure would carry the reason): every active stage is cancelled with our line, and
     * the line is kept for the driver's error message should the job end another way (Spark gives up after
     * {@code spark.yarn.max.executor.failures} and stops the context).
     */
    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        String line = executorLost(removed.executorId(), String.valueOf(removed.reason()));
        if (line == null) {
            return;
        }
        lastMemoryKill = line;
        if (!sc.isStopped()) {
            for (int stage : sc.statusTracker().getActiveStageIds()) {
                sc.cancelStage(stage, line);
            }
        }
    }

    /**
     * Our line for a task that ran out of its executor's Java heap on a cluster (in one JVM, the driver's heap is the
     * CLI's to report). The next attempt needs the same heap; Spark's executors also end themselves on an
     * OutOfMemoryError, so the retries would only cost new executors.
     */
    static String heapExhausted(String executor, String description) {
        return heapLine(executor, "OutOfMemoryError: " + (description == null ? "" : description.strip()));
    }

    private static String heapLine(String executor, String how) {
        return "executor " + executor + " ran out of Java heap (" + how + "): the model's parameters, gradients and Adam state pass through an executor's heap at every averaging "
                + "round; raise spark.executor.memory (conf/spark-defaults.conf sets 1500m) — README: On a YARN cluster";
    }

    /** The line of the last executor YARN killed for memory in this JVM's Spark jobs since {@link #forgetMemoryKill}, or null. */
    public static String lastMemoryKill() {
        return lastMemoryKill;
    }

    /** Starts a new command: an earlier run's kill in this JVM (tests, a notebook) must not name this run's failure. */
    public static void forgetMemoryKill() {
        lastMemoryKill = null;
    }

    /**
     * Spark's exit code for an executor that ended itself on an OutOfMemoryError (SparkExitCode.OOM), in the reason
     * YARN's allocator ("... Exit status: 52. Diagnostics: ...") or a standalone worker ("Command exited with code 52")
     * gives for the lost executor.
     */
    private static final java.util.regex.Pattern OOM_EXIT = java.util.regex.Pattern.compile("(?:Exit status: |exited with code )52\\b");

    /**
     * Our line for an executor lost to a cause a retry cannot cure, else null: YARN killed it over its memory limit
     * ({@link #memoryKill}), or it ended itself on an OutOfMemoryError. The latter is the heap line of
     * {@link #heapExhausted} again, for when the executor is gone before its task's failure reached the driver.
     */
    static String executorLost(String executor, String reason) {
        String kill = memoryKill(executor, reason);
        if (kill != null) {
            return kill;
        }
        return OOM_EXIT.matcher(reason).find() ? heapLine(executor, "its JVM exited with code 52, Spark's code for an OutOfMemoryError") : null;
    }

    /** YARN's words (Spark's YarnAllocator) for a container it killed over its memory limit: physical or virtual. */
    private static final java.util.regex.Pattern KILLED = java.util.regex.Pattern.compile(
            "Container killed by YARN for exceeding (physical|virtual) memory limits\\.\\s*"
                    + "([0-9.]+ ?[KMGTPE]?B of [0-9.]+ ?[KMGTPE]?B (?:physical|virtual) memory used)?");

    /**
     * Our line for an executor YARN killed for memory, else null. The next attempt runs the same model with the
     * same memory and is killed again, after a new container for each of {@code spark.task.maxFailures} tries; the
     * user would get Spark's "ExecutorLostFailure ... Consider boosting spark.executor.memoryOverhead" without the
     * reason it happens here: ND4J keeps its arrays and native libraries off the JVM heap, in the overhead.
     */
    static String memoryKill(String executor, String reason) {
        java.util.regex.Matcher m = KILLED.matcher(reason);
        if (!m.find()) {
            return null;
        }
        String used = m.group(2) == null ? "" : " (" + m.group(2).strip() + ")";
        if (m.group(1).equals("virtual")) {
            return "YARN killed executor " + executor + " for exceeding its virtual memory limit" + used
                    + ": ND4J and the JVM reserve far more address space than they use; ask the cluster's admin to set "
                    + "yarn.nodemanager.vmem-check-enabled=false (as EMR and Dataproc do) — README: On a YARN cluster";
        }
        return "YARN killed executor " + executor + " for exceeding its memory limit" + used
                + ": ND4J's arrays and native libraries live off the JVM heap, in spark.executor.memoryOverhead; raise it "
                + "(conf/spark-defaults.conf sets 2g beside a 1500m spark.executor.memory) — README: On a YARN cluster";
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
