package org.sparkvae.analysis;

import org.sparkvae.plot.TrainingCurvePlot;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report is self-contained, escapes what it shows, and embeds PNGs that decode. */
class RunReportTest {
    @Test
    void embedsDecodablePngsAndEscapesText() throws Exception {
        byte[] png = ImageGrid.pngBytes(Nd4j.rand(3, 784), 28, 28, 3, 1);
        String html = new RunReport("run <1> & \"two\"")
                .fact("configuration", "M=10 <mog>")
                .table("Metrics", List.of("epoch", "test_neg_elbo"), List.of(Map.of("epoch", 1, "test_neg_elbo", 88.123456)))
                .figure("Samples", "x ~ p(x|z)", png)
                .html();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>run &lt;1&gt; &amp; &quot;two&quot;</title>"), html);
        assertTrue(html.contains("M=10 &lt;mog&gt;"));
        assertTrue(html.contains("<td>88.123</td>"), "numbers to 3 decimals");
        assertFalse(html.contains("<mog>"));
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(m.find());
        var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertNotNull(image);
        assertEquals(3 * 29 + 1, image.getWidth());
    }

    @Test
    void chartsRenderToPng() throws Exception {
        var curve = TrainingCurvePlot.chart(List.of(new org.sparkvae.run.EpochRecord(1, 160.0, 120.0, null, null, 1, 1, null),
                new org.sparkvae.run.EpochRecord(2, 110.0, 105.0, null, null, 1, 1, null)), "M=2");
        assertEquals(2, curve.getSeriesMap().size(), "train and test series (no recon/KL given)");
        var scatter = LatentScatterPlot.chart(new double[] {0, 1, 2}, new double[] {1, 0, 2}, new int[] {3, 3, 7},
                new double[] {0.3, 0.2}, "M=5");
        assertEquals(2, scatter.getSeriesMap().size(), "one series per class present");
        assertTrue(scatter.getTitle().contains("PC1 30.0% + PC2 20.0% = 50.0%"), scatter.getTitle());
        byte[] png = org.knowm.xchart.BitmapEncoder.getBitmapBytes(scatter, org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
        assertEquals(900, ImageIO.read(new ByteArrayInputStream(png)).getWidth());
    }
}
