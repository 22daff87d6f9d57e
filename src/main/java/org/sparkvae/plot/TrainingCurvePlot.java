package org.sparkvae.plot;

import org.sparkvae.run.EpochRecord;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Training curves: train and test -ELBO per epoch, with the test reconstruction and KL terms. */
public final class TrainingCurvePlot {
    private TrainingCurvePlot() { }

    /** @param history one record per epoch; the test curves show the epochs whose test terms were evaluated */
    public static XYChart chart(List<EpochRecord> history, String model) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Training curves (" + model + ")").xAxisTitle("epoch").yAxisTitle("nats per image").build();
        Charts.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        add(chart, history, EpochRecord.TRAIN_NEG_ELBO, "train -ELBO", Charts.CLASS_COLOURS[0]);
        add(chart, history, EpochRecord.TEST_NEG_ELBO, "test -ELBO", Charts.CLASS_COLOURS[1]);
        add(chart, history, EpochRecord.TEST_RECON, "test reconstruction -log p(x|z)", Charts.CLASS_COLOURS[2]);
        add(chart, history, EpochRecord.TEST_KL, "test KL", Charts.CLASS_COLOURS[3]);
        return chart;
    }

    private static void add(XYChart chart, List<EpochRecord> history, String key, String name, java.awt.Color colour) {
        double[] x = history.stream().filter(r -> r.get(key) != null).mapToDouble(EpochRecord::epoch).toArray();
        double[] y = history.stream().filter(r -> r.get(key) != null).mapToDouble(r -> r.get(key).doubleValue()).toArray();
        if (x.length == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    public static void writePng(List<EpochRecord> history, String model, Path out) throws IOException {
        Charts.writePng(chart(history, model), out);
    }
}
