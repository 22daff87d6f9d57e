package org.sparkvae.analysis;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkvae.io.AtomicFiles;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.Vae;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.workarounds.Nd4jSeeds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code sample} does: {@code count} draws z ~ p(z) from a saved model, x ~ p(x|z) as a PNG grid and, when
 * asked, the decoder means E[x|z] of the same z beside it as {@code NAME-mean.png}; existing PNGs are refused
 * unless {@code overwrite}, before the model is read.
 */
public final class SampleRun {
    /** The largest grid: 64 x 64 images. */
    public static final int MAX_COUNT = 4096;

    public record Spec(String model, Path samples, int count, boolean mean, long seed, boolean overwrite) { }

    /** What was written: the samples' grid, the means' grid (null without {@code mean}) and the model's description. */
    public record Result(Path samples, Path means, String model) { }

    private SampleRun() { }

    public static Result run(Spec s) throws IOException {
        if (s.count() <= 0 || s.count() > MAX_COUNT) {
            throw new SettingException("count", "{count} must be in 1.." + MAX_COUNT + ", got " + s.count());
        }
        Path meanOut = meanPathFor(s.samples());
        if (!s.overwrite()) {
            for (Path p : s.mean() ? List.of(s.samples(), meanOut) : List.of(s.samples())) {
                AtomicFiles.refuseExisting(p, "pass {overwrite} to replace it or choose another {samples}");
            }
        }
        ModelStore.Loaded loaded = ModelStore.load(s.model());
        loaded.requireMnistImages(s.model(), "sample draws 28x28 images only");
        Vae vae = loaded.vae();
        Nd4jSeeds.seed(s.seed());
        INDArray z = vae.samplePrior(s.count());
        INDArray samples = vae.sampleObservation(z);
        int columns = (int) Math.ceil(Math.sqrt(s.count()));
        ImageGrid.writePng(samples, 28, 28, columns, 2, s.samples());
        if (s.mean()) {
            ImageGrid.writePng(vae.decodeMean(z), 28, 28, columns, 2, meanOut);
        }
        return new Result(s.samples(), s.mean() ? meanOut : null, vae.config().describe());
    }

    /** {@code dir/x.png} -> {@code dir/x-mean.png}. */
    public static Path meanPathFor(Path png) {
        String name = png.getFileName().toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        return png.resolveSibling(base + "-mean.png");
    }
}
