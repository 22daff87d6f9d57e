package org.sparkvae.model.store;

import org.sparkvae.io.OptionException;
import org.sparkvae.model.Vae;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.util.ModelSerializer;
import org.sparkvae.io.AtomicFiles;
import org.sparkvae.io.HadoopFiles;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.ImageShape;
import org.sparkvae.io.WorkDirs;
import org.sparkvae.model.VaeConfig;

/**
 * Saves and loads a {@link Vae}: the zip DL4J's ModelSerializer writes (configuration JSON with the custom
 * layers, parameters, Adam state) plus {@value #INFO_ENTRY} inside it, and the same
 * {@link ModelInfo} as {@code <name>.json} beside the zip. Both files are written atomically.
 */
public final class ModelStore {
    public static final String INFO_ENTRY = "spark-vae-model-info.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() { }

    public static ObjectMapper json() {
        return JSON;
    }

    public static void save(Vae vae, ModelInfo info, Path zip) throws IOException {
        byte[] infoJson = JSON.writeValueAsBytes(info);
        AtomicFiles.writeVia(zip, tmp -> {
            ModelSerializer.writeModel(vae.network(), tmp.toFile(), true);
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + tmp.toUri()), Map.of())) {
                Files.write(fs.getPath(INFO_ENTRY), infoJson);
            }
        });
        AtomicFiles.write(infoPathFor(zip), out -> out.write(infoJson));
    }

    /** As {@link #save(Vae, ModelInfo, Path)} for any Hadoop path ({@code hdfs://...} included). */
    public static void save(Vae vae, ModelInfo info, String zip) throws IOException {
        if (HadoopFiles.isLocal(zip)) {
            save(vae, info, HadoopFiles.localPath(zip));
            return;
        }
        Path work = WorkDirs.create("model");
        try {
            Path local = work.resolve(HadoopFiles.fileName(zip));
            save(vae, info, local);
            // The zip is the model; publish it last so a reader that finds it also finds its info.
            HadoopFiles.publish(infoPathFor(local), infoPathFor(zip));
            HadoopFiles.publish(local, zip);
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
    }

    /** {@code dir/model.zip} -> {@code dir/model.json}, on any Hadoop path. */
    public static String infoPathFor(String zip) {
        String name = HadoopFiles.fileName(zip);
        String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return HadoopFiles.sibling(zip, base + ".json");
    }

    public static Loaded load(String zip) throws IOException {
        if (HadoopFiles.isLocal(zip)) {
            return load(HadoopFiles.localPath(zip));
        }
        if (!HadoopFiles.exists(zip)) {
            throw new NoSuchFileException(zip + ": model file does not exist");
        }
        return load(HadoopFiles.fetch(zip));
    }

    /** {@code dir/model.zip} -> {@code dir/model.json}. */
    public static Path infoPathFor(Path zip) {
        String name = zip.getFileName().toString();
        String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return zip.resolveSibling(base + ".json");
    }

    public record Loaded(Vae vae, ModelInfo info) {
        /** The data mode the model was trained on (saved as its CLI name). */
        public DataMode dataMode() {
            return DataMode.valueOf(info.dataMode().toUpperCase(java.util.Locale.ROOT));
        }

        /**
         * Refuses, with one sentence, a model of other than 28x28 inputs (trained on rows from a data source) in a job
         * that feeds it 28x28 IDX images or draws them ({@code job}: what the job does).
         */
        public void requireMnistImages(String model, String job) {
            int d = info.config().inputSize();
            if (d != VaeConfig.MNIST_PIXELS) {
                ImageShape shape = info.shape();
                // job: what to do instead, naming options as {name} (OptionException)
                throw new OptionException("%s: the model takes %d values per row%s; " + job, model, d,
                        shape == null ? "" : " (" + shape + " images)");
            }
        }
    }

    /** Loads a model through {@link ModelZipReader}: untrusted bytes are validated before DL4J sees them. */
    public static Loaded load(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new NoSuchFileException(zip + ": model file does not exist");
        }
        return ModelZipReader.read(zip);
    }
}
