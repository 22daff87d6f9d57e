package org.sparkvae.spark;

import me.tongfei.progressbar.ProgressBar;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.sparkvae.io.ConsoleBars;

/**
 * A progress bar for a Spark job (encode, PCA, evaluation): it counts the tasks of every stage the
 * job submits and steps as they finish, on any master. Spark's own console bar needs the UI, which
 * the embedded master switches off.
 */
public final class SparkProgress implements AutoCloseable {
    private final SparkContext sc;
    private final ProgressBar bar;
    private final SparkListener listener;

    public SparkProgress(SparkContext sc, String task, boolean show) {
        this.sc = sc;
        this.bar = show ? ConsoleBars.builder(task, 0).setUnit(" tasks", 1).build() : null;
        this.listener = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted stage) {
                if (bar != null) {
                    bar.maxHint(bar.getMax() + stage.stageInfo().numTasks());
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd task) {
                if (bar != null) {
                    bar.step();
                }
            }
        };
        sc.addSparkListener(listener);
    }

    void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    @Override
    public void close() {
        sc.removeSparkListener(listener);
        if (bar != null) {
            bar.close();
        }
    }
}
