package org.sparkvae.it;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.sparkvae.spark.TestSpark;

/**
 * The analysis outputs of a real run, through the launcher: the README's main training run on real MNIST
 * (metrics CSV, Parquet and curves; shared through ReadmeJobs), {@code project} (latents Parquet with its columns, the scatter),
 * and {@code report}, whose HTML is loaded in a real browser (Debian's headless Chromium, installed by
 * .ci/run): every image must decode (naturalWidth &gt; 0), and a screenshot must show them rendered.
 */
@org.junit.jupiter.api.parallel.ResourceLock(org.sparkvae.spark.TestSpark.LOCK) // Spark runs in this JVM
class ReportIT {
    @TempDir
    Path dir;

    private static String run(Path log, List<String> command, long minutes) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), "timed out: " + command);
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), command + "\n" + out);
        return out;
    }

    private List<String> chromium(String... args) {
        List<String> c = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium-profile")));
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void trainProjectReportAndRenderInABrowser() throws Exception {
        // The README's main model, its projection and its report, run once for MnistBarIT, JobMemoryIT and this test.
        ReadmeJobs.mainModel();
        List<String> csv = Files.readAllLines(ReadmeJobs.path("runs/m10.metrics.csv"));
        assertEquals(11, csv.size(), "header and ten epochs");
        assertTrue(csv.get(0).startsWith("epoch,train_neg_elbo,test_neg_elbo,test_recon,test_kl"), csv.get(0));
        assertTrue(Files.size(ReadmeJobs.path("runs/m10.curves.png")) > 1000);

        String projected = ReadmeJobs.project().out();
        Path projection = ReadmeJobs.path("runs/m10-projection");
        assertTrue(projected.contains("projected 10000 test images (M=10), PC1+PC2 explain"), projected);
        BufferedImage scatter = ImageIO.read(projection.resolve("latent-pca.png").toFile());
        assertTrue(scatter.getWidth() >= 800, "scatter width " + scatter.getWidth());

        try (SparkSession spark = TestSpark.local("ReportIT", 1)) {
            var latents = spark.read().parquet(projection.resolve("latents.parquet").toString());
            assertEquals(List.of("index", "label", "z", "mu", "pc1", "pc2"), List.of(latents.columns()));
            assertEquals(10_000, latents.count());
            Row first = latents.orderBy("index").first();
            assertEquals(7, first.getInt(1), "first test label");
            assertEquals(10, first.getList(2).size());
            var metrics = spark.read().parquet(ReadmeJobs.path("runs/m10.metrics.parquet").toString());
            assertEquals(10, metrics.count());
            assertTrue(metrics.filter("test_neg_elbo > 0 AND test_neg_elbo < 300").count() == 10, "test -ELBO per epoch");
        }

        ReadmeJobs.report();
        Path reportDir = ReadmeJobs.path("runs/m10-report");
        Path html = reportDir.resolve("report.html");
        String page = Files.readString(html);
        int images = count(page, "<img ");
        assertEquals(6, images, "curves, reconstructions, samples, means, interpolation, scatter");
        assertTrue(!page.contains("src=\"file:") && !page.contains("src=\"http"), "self-contained");

        // The browser: a copy of the page reports in its title how many images decoded.
        Path probe = dir.resolve("probe.html"); // the page is self-contained: it needs nothing beside it
        Files.writeString(probe, page.replace("</body>", "<script>window.addEventListener('load', () => {"
                + "const imgs = [...document.images]; document.title = 'loaded ' + imgs.filter(i => i.complete && i.naturalWidth > 0).length"
                + " + ' of ' + imgs.length; });</script></body>"));
        String dom = run(dir.resolve("chromium-dom.log"), chromium("--virtual-time-budget=10000", "--dump-dom",
                probe.toUri().toString()), 3);
        Matcher m = Pattern.compile("<title>loaded (\\d+) of (\\d+)</title>").matcher(dom);
        assertTrue(m.find(), "probe title in the DOM: " + dom.substring(0, Math.min(500, dom.length())));
        assertEquals(m.group(2), m.group(1), "every image decoded in Chromium: " + m.group());
        assertEquals(String.valueOf(images), m.group(2));

        Path shot = dir.resolve("report.png");
        run(dir.resolve("chromium-shot.log"), chromium("--window-size=1100,2400", "--screenshot=" + shot,
                html.toUri().toString()), 3);
        BufferedImage png = ImageIO.read(shot.toFile());
        // Rendered MNIST grids are black cells with white strokes: the screenshot must hold many dark pixels.
        long dark = 0;
        for (int y = 0; y < png.getHeight(); y += 2) {
            for (int x = 0; x < png.getWidth(); x += 2) {
                int rgb = png.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) < 40 && ((rgb >> 8) & 0xFF) < 40 && (rgb & 0xFF) < 40) {
                    dark++;
                }
            }
        }
        assertTrue(dark > 5_000, "image grids rendered in the screenshot (dark pixels sampled: " + dark + ")");
        System.out.println("ReportIT: " + m.group() + ", dark pixels " + dark + ", page " + Files.size(html) + " bytes");
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
