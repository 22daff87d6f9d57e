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
    /** Exceptions of a task that retrying cannot cure: the data is what it is. */
    static final Set<String> DETERMINISTIC = Set.of(IdxFormatException.class.getName());
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
        if (end.reason() instanceof ExceptionFailure f && DETERMINISTIC.contains(f.className()) && !sc.isStopped()) {
            sc.cancelStage(end.stageId(), f.description());
        }
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
