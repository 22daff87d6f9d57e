package org.sparkvae.train;

import org.sparkvae.io.HadoopFiles;
import org.sparkvae.model.store.ModelInfo;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.run.EpochRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-epoch checkpoints of a training run in one directory: {@code epoch-0007.zip} (model with Adam
 * state, via {@link ModelStore}, written atomically) with {@code epoch-0007.json} beside it, whose
 * {@link ModelInfo#epochs()} is the number of completed epochs and whose metrics are the history so far.
 * Only the newest checkpoint is kept once the next one is safely written.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})\\.zip");

    private final String dir;

    /** @param dir any Hadoop path ({@code hdfs://...} included) or local directory */
    public Checkpoints(String dir) {
        this.dir = dir;
    }

    public Checkpoints(Path dir) {
        this(dir.toString());
    }

    public String dir() {
        return dir;
    }

    /** Writes the checkpoint of a completed epoch, then removes older ones. */
    public void save(Vae vae, ModelInfo infoAfterEpoch, int epoch) throws IOException {
        HadoopFiles.mkdirs(dir);
        String name = String.format("epoch-%04d.zip", epoch);
        ModelStore.save(vae, infoAfterEpoch, HadoopFiles.child(dir, name));
        for (String old : list()) {
            if (!old.equals(name)) {
                String zip = HadoopFiles.child(dir, old);
                HadoopFiles.delete(zip);
                HadoopFiles.delete(ModelStore.infoPathFor(zip));
            }
        }
    }

    /**
     * A listener that checkpoints {@code vae} after every epoch, with the info {@code info} gives for the epochs done
     * and the history so far.
     */
    public TrainingListener listener(Vae vae, BiFunction<Integer, List<EpochRecord>, ModelInfo> info) {
        return (e, history) -> save(vae, info.apply(e.epoch(), history), e.epoch());
    }

    /** The newest complete checkpoint, if any (a zip only appears once fully written). */
    public Optional<ModelStore.Loaded> latest() throws IOException {
        List<String> all = list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ModelStore.load(HadoopFiles.child(dir, all.get(all.size() - 1))));
    }

    /** Deletes temp files of killed checkpoint writers ({@code .epoch-N.zip.*.tmp}); call only while holding the run's lock. */
    public void deleteStaleTemps() throws IOException {
        for (String name : HadoopFiles.list(dir)) {
            if (name.startsWith(".") && name.endsWith(".tmp")) {
                HadoopFiles.delete(HadoopFiles.child(dir, name));
            }
        }
    }

    public boolean isEmpty() throws IOException {
        return list().isEmpty();
    }

    /** Checkpoint file names, oldest first. */
    private List<String> list() throws IOException {
        return HadoopFiles.list(dir).stream().filter(n -> NAME.matcher(n).matches())
                .sorted(Comparator.comparingInt(Checkpoints::epochOf)).toList();
    }

    private static int epochOf(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
