package org.sparkvae.train;

import org.sparkvae.model.ModelInfo;
import org.sparkvae.model.ModelStore;
import org.sparkvae.model.Vae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Per-epoch checkpoints of a training run in one directory: {@code epoch-0007.zip} (model with Adam
 * state, via {@link ModelStore}, written atomically) with {@code epoch-0007.json} beside it, whose
 * {@link ModelInfo#epochs()} is the number of completed epochs and whose metrics are the history so far.
 * Only the newest checkpoint is kept once the next one is safely written.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})\\.zip");

    private final Path dir;

    public Checkpoints(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Writes the checkpoint of a completed epoch, then removes older ones. */
    public void save(Vae vae, ModelInfo infoAfterEpoch, int epoch) throws IOException {
        Files.createDirectories(dir);
        Path zip = dir.resolve(String.format("epoch-%04d.zip", epoch));
        ModelStore.save(vae, infoAfterEpoch, zip);
        for (Path old : list()) {
            if (!old.equals(zip)) {
                Files.deleteIfExists(old);
                Files.deleteIfExists(ModelStore.infoPathFor(old));
            }
        }
    }

    /** The newest complete checkpoint, if any (a zip only appears once fully written). */
    public Optional<ModelStore.Loaded> latest() throws IOException {
        List<Path> all = list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ModelStore.load(all.get(all.size() - 1)));
    }

    public boolean isEmpty() throws IOException {
        return list().isEmpty();
    }

    private List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(Checkpoints::epochOf)).toList();
        }
    }

    private static int epochOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
