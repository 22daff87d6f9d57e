package org.sparkvae.analysis;

import org.sparkvae.plot.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The aggregate posterior: one 2-D point per test image (z itself when M = 2, else its first two
 * principal components), coloured by the image's class, with a legend and, for PCA, the explained
 * variance in the title.
 */
public final class LatentScatterPlot {
    private LatentScatterPlot() { }

    /**
     * @param x first coordinate per image
     * @param y second coordinate per image
     * @param labels class per image, 0 .. (number of classes - 1), or negative for an image without a label
     * @param explained explained-variance ratios of the two components, or null when M = 2 (no PCA)
     */
    public static XYChart chart(double[] x, double[] y, int[] labels, double[] explained, String model) {
        String title = explained == null
                ? String.format(Locale.ROOT, "Aggregate posterior z ~ q(z|x), %d test images (%s)", x.length, model)
                : String.format(Locale.ROOT, "Aggregate posterior, PCA of z: PC1 %.1f%% + PC2 %.1f%% = %.1f%% of the variance",
                        100 * explained[0], 100 * explained[1], 100 * (explained[0] + explained[1]));
        XYChart chart = new XYChartBuilder().width(900).height(760).title(title)
                .xAxisTitle(explained == null ? "z1" : "PC1").yAxisTitle(explained == null ? "z2" : "PC2").build();
        Charts.style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        // The classes come from the data (largest label + 1): Fashion-MNIST, EMNIST (47, 62) or a user's own
        // labels all get a series each; a fixed 0..9 loop silently dropped every point labelled 10 or more.
        int classes = java.util.Arrays.stream(labels).max().orElse(-1) + 1;
        if (java.util.Arrays.stream(labels).anyMatch(l -> l < 0)) {
            // Rows without a label (a data source without a label column): one series, one colour.
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (labels[i] < 0) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            XYSeries s = chart.addSeries("unlabelled", xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(java.awt.Color.DARK_GRAY);
        }
        for (int c = 0; c < classes; c++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (labels[i] == c) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries((classes <= 10 ? "digit " : "class ") + c, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Charts.classColour(c));
        }
        return chart;
    }

    public static void writePng(double[] x, double[] y, int[] labels, double[] explained, String model, Path out)
            throws IOException {
        Charts.writePng(chart(x, y, labels, explained, model), out);
    }
}
