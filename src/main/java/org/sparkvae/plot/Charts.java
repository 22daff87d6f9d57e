package org.sparkvae.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.sparkvae.io.AtomicFiles;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;

/** Shared look of the PNG charts (XChart) and their atomic writing. */
public final class Charts {
    /** Ten distinguishable class colours (Tableau 10). */
    public static final Color[] CLASS_COLOURS = {
            new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
            new Color(188, 189, 34), new Color(23, 190, 207)};

    private Charts() { }

    /** Class {@code c}'s colour: the ten-colour palette, then golden-ratio hues for data sets with more classes. */
    public static Color classColour(int c) {
        if (c < CLASS_COLOURS.length) {
            return CLASS_COLOURS[c];
        }
        return Color.getHSBColor((float) ((c * 0.6180339887498949) % 1.0), 0.75f, 0.85f);
    }

    public static void style(Chart<?, ?> chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setAntiAlias(true);
    }

    public static void writePng(Chart<?, ?> chart, Path out) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(out, stream -> stream.write(png));
    }
}
