package org.sparkvae.train;

import me.tongfei.progressbar.ProgressBar;
import org.sparkvae.io.ConsoleBars;
import org.sparkvae.run.EpochRecord;

import java.util.List;
import java.util.Locale;

/**
 * The one training progress bar, whichever trainer runs: a bar per epoch over its steps, with the mean -ELBO so far,
 * closed as soon as the epoch is trained (before the held-out ELBO draws its own) or when the run stops.
 */
final class ProgressBarListener implements TrainingListener {
    private ProgressBar bar;

    @Override
    public synchronized void onEpochStart(int epoch, int epochs, long steps) {
        close();
        bar = ConsoleBars.epoch(true, epoch, epochs, steps);
    }

    @Override
    public synchronized void onSteps(long done, double meanLoss) {
        if (bar != null) {
            bar.stepTo(Math.min(bar.getMax(), done));
            if (!Double.isNaN(meanLoss)) {
                bar.setExtraMessage(String.format(Locale.ROOT, " -ELBO %.2f", meanLoss));
            }
        }
    }

    @Override
    public synchronized void onEpochTrained(EpochRecord trained) {
        close();
    }

    @Override
    public void onEpoch(EpochRecord epoch, List<EpochRecord> history) {
    }

    @Override
    public synchronized void onStop() {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
