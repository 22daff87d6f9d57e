package org.sparkvae.analysis;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatentScatterPlotTest {
    /** Trust issue row 11: labels above 9 are plotted too (one series per class present), none dropped. */
    @Test
    void everyClassOfTheDataGetsASeries() {
        int n = 470;
        double[] x = new double[n];
        double[] y = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = -i;
            labels[i] = i % 47; // EMNIST balanced has 47 classes
        }
        XYChart chart = LatentScatterPlot.chart(x, y, labels, null, "test");
        assertEquals(47, chart.getSeriesMap().size());
        assertEquals(n, chart.getSeriesMap().values().stream().mapToInt(s -> s.getXData().length).sum(), "every point plotted");
    }

    @Test
    void unlabelledRowsAreOneSeriesInOneColour() {
        double[] x = {1, 2, 3};
        double[] y = {3, 2, 1};
        XYChart chart = LatentScatterPlot.chart(x, y, new int[] {-1, -1, -1}, null, "test");
        assertEquals(java.util.Set.of("unlabelled"), chart.getSeriesMap().keySet());
        assertEquals(3, chart.getSeriesMap().get("unlabelled").getXData().length);
    }
}
