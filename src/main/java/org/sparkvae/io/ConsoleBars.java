package org.sparkvae.io;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress-bar style of every job (training epochs, evaluation, IWAE, Spark stages): ASCII on standard
 * error, so standard output stays the job's result and a log file or a dumb terminal shows the bar as it is.
 */
public final class ConsoleBars {
    private ConsoleBars() { }

    /** A bar named {@code task} over {@code max} steps (0: unknown yet), to customise before {@code build()}. */
    public static ProgressBarBuilder builder(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
    }

    /** A bar over {@code max} steps, or null when not {@code shown} (callers step it with {@code if (bar != null)}). */
    public static ProgressBar open(boolean shown, String task, long max) {
        return shown ? builder(task, max).build() : null;
    }

    /** A training epoch's bar, redrawn every 250 ms (elapsed time moves between minibatches), or null when not shown. */
    public static ProgressBar epoch(boolean shown, int epoch, int epochs, long steps) {
        return shown ? builder(String.format("epoch %d/%d", epoch, epochs), steps).setUpdateIntervalMillis(250)
                .continuousUpdate().build() : null;
    }
}
