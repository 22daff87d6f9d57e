package org.sparkvae.analysis;

import org.sparkvae.plot.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A sweep's leaderboard: test -ELBO against latent dimension M, one line per prior (and likelihood/arch when varied). */
public final class LeaderboardPlot {
    private LeaderboardPlot() { }

    /** @param rows sweep results: test -ELBO by latent dimension, one line per prior (mean over seeds per point) */
    public static XYChart chart(List<SweepResult> rows) {
        boolean manyLikelihoods = rows.stream().map(SweepResult::likelihood).distinct().count() > 1;
        boolean manyArchs = rows.stream().map(SweepResult::arch).distinct().count() > 1;
        Map<String, TreeMap<Integer, double[]>> series = new TreeMap<>();
        for (SweepResult r : rows) {
            String name = r.prior() + (manyLikelihoods ? " / " + r.likelihood() : "") + (manyArchs ? " / " + r.arch() : "");
            int m = r.latentDim();
            double[] sumCount = series.computeIfAbsent(name, k -> new TreeMap<>()).computeIfAbsent(m, k -> new double[2]);
            sumCount[0] += r.testNegElbo();
            sumCount[1] += 1;
        }
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Sweep leaderboard: test -ELBO by latent dimension")
                .xAxisTitle("latent dimension M").yAxisTitle("test -ELBO (nats per image, lower is better)").build();
        Charts.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        int colour = 0;
        for (Map.Entry<String, TreeMap<Integer, double[]>> e : series.entrySet()) {
            double[] x = e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = e.getValue().values().stream().mapToDouble(v -> v[0] / v[1]).toArray();
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            java.awt.Color c = Charts.CLASS_COLOURS[colour++ % Charts.CLASS_COLOURS.length];
            s.setLineColor(c);
            s.setMarkerColor(c);
        }
        return chart;
    }

    public static byte[] pngBytes(List<SweepResult> rows) throws IOException {
        return org.knowm.xchart.BitmapEncoder.getBitmapBytes(chart(rows), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
    }
}
