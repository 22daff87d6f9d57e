package org.sparkvae.analysis;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes images with values in [0, 1] (rows of an [n, h*w] array) as one grayscale PNG grid. */
public final class ImageGrid {
    private ImageGrid() { }

    /**
     * @param images [n, height*width], white = 1
     * @param columns images per row
     * @param scale pixels per image pixel
     */
    public static BufferedImage render(INDArray images, int height, int width, int columns, int scale) {
        int n = (int) images.size(0);
        int rows = (n + columns - 1) / columns;
        int pad = scale;
        int cellW = width * scale + pad;
        int cellH = height * scale + pad;
        BufferedImage img = new BufferedImage(columns * cellW + pad, rows * cellH + pad, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new java.awt.Color(96, 96, 96));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        float[] px = images.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        int d = height * width;
        for (int i = 0; i < n; i++) {
            int ox = pad + (i % columns) * cellW;
            int oy = pad + (i / columns) * cellH;
            for (int p = 0; p < d; p++) {
                float v = Math.max(0f, Math.min(1f, px[i * d + p]));
                int gray = Math.round(v * 255f);
                int rgb = (gray << 16) | (gray << 8) | gray;
                int x0 = ox + (p % width) * scale;
                int y0 = oy + (p / width) * scale;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x0 + dx, y0 + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** The grid as PNG bytes. */
    public static byte[] pngBytes(INDArray images, int height, int width, int columns, int scale) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(render(images, height, width, columns, scale), "png", bytes)) {
            throw new IOException("no PNG writer available");
        }
        return bytes.toByteArray();
    }

    public static void writePng(INDArray images, int height, int width, int columns, int scale, Path out) throws IOException {
        BufferedImage img = render(images, height, width, columns, scale);
        AtomicFiles.write(out, stream -> {
            if (!ImageIO.write(img, "png", stream)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
