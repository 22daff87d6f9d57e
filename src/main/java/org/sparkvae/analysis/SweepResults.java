package org.sparkvae.analysis;

import org.sparkvae.io.OutputExistsException;
import org.sparkvae.io.HadoopFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sparkvae.io.CsvTable;
import org.sparkvae.io.RunLock;

/**
 * A sweep's results under its output directory (any Hadoop path):
 * <ul>
 *   <li>{@code results/KEY.json}: one per finished configuration, written atomically when it
 *   finishes (by the Spark task that trained it) — the record of truth; a rerun skips these keys;</li>
 *   <li>{@code failures/KEY.json}: the last failure of a configuration (retried by a rerun);</li>
 *   <li>{@code attempts/KEY-*}: one empty marker per training start, so "trained exactly once" can be checked;</li>
 *   <li>{@code results.csv} and {@code results.parquet}: the table of every finished configuration,
 *   rebuilt from the JSONs and renamed into place after every sweep.</li>
 * </ul>
 */
public final class SweepResults {
    /** Sorted keys: a result file's bytes depend on its values only (the sweep grid reads and writes with it too). */
    public static final com.fasterxml.jackson.databind.ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    public static final List<String> COLUMNS = SweepResult.COLUMNS;

    private final String dir;

    public SweepResults(String dir) {
        this.dir = dir;
    }

    public String dir() {
        return dir;
    }

    String resultPath(String key) {
        return HadoopFiles.child(HadoopFiles.child(dir, "results"), key + ".json");
    }

    String failurePath(String key) {
        return HadoopFiles.child(HadoopFiles.child(dir, "failures"), key + ".json");
    }

    public String modelPath(String key) {
        return HadoopFiles.child(HadoopFiles.child(dir, "models"), key + ".zip");
    }

    /** Keys of the configurations that finished (in this or an earlier run). */
    public Set<String> finished() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String name : HadoopFiles.list(HadoopFiles.child(dir, "results"))) {
            if (name.endsWith(".json") && !name.startsWith(".")) {
                keys.add(name.substring(0, name.length() - 5));
            }
        }
        return keys;
    }

    /** Training starts recorded for a key. */
    public int attempts(String key) throws IOException {
        return (int) HadoopFiles.list(HadoopFiles.child(dir, "attempts")).stream().filter(n -> n.startsWith(key + "-")).count();
    }

    public void recordAttempt(String key) throws IOException {
        HadoopFiles.writeString(HadoopFiles.child(HadoopFiles.child(dir, "attempts"),
                key + "-" + System.currentTimeMillis() + "-" + java.util.UUID.randomUUID()), "");
    }

    public void recordResult(SweepResult result) throws IOException {
        String key = result.key();
        HadoopFiles.writeString(resultPath(key), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        HadoopFiles.deleteRecursively(failurePath(key));
    }

    public void recordFailure(String key, Map<String, Object> row) throws IOException {
        HadoopFiles.writeString(failurePath(key), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(row));
    }

    /** Every finished row, ordered by key. */
    public List<SweepResult> rows() throws IOException {
        List<SweepResult> rows = new ArrayList<>();
        for (String key : finished()) {
            String path = resultPath(key);
            java.nio.file.Path local = HadoopFiles.isLocal(path) ? HadoopFiles.localPath(path) : HadoopFiles.fetch(path);
            rows.add(JSON.readValue(new String(java.nio.file.Files.readAllBytes(local), StandardCharsets.UTF_8),
                    SweepResult.class));
        }
        return rows;
    }

    public static String csv(List<SweepResult> rows) {
        return CsvTable.format(COLUMNS, rows.stream().map(SweepResult::row).toList());
    }

    /** What a sweep directory may hold; anything else means {@code dir} is not a sweep's and must not be written into. */
    private static final java.util.Set<String> OWN = java.util.Set.of("results", "failures", "models", "attempts",
            "results.csv", "results.parquet", "leaderboard.png", "sweep-report.html", RunLock.NAME);

    /**
     * Refuses a directory that holds files no sweep writes: pointing {@code --out} at a directory of one's own
     * would otherwise replace its results.csv or leaderboard.png without a word. Empty, absent or an earlier
     * sweep's directory (a rerun resumes it) is fine.
     */
    public static void requireSweepDirectory(String dir) throws java.io.IOException {
        for (String name : HadoopFiles.list(dir)) {
            if (!OWN.contains(name) && !(name.startsWith(".") && name.endsWith(".tmp")) && !name.startsWith(".results")
                    && !name.startsWith(".leaderboard") && !name.startsWith(".sweep-report")) {
                throw new OutputExistsException(dir, ": holds '" + name.replaceAll("[{}]", "?")
                        + "', which is not part of a spark-vae sweep; choose an empty or new {out}");
            }
        }
    }
}
