package org.sparkvae.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import org.sparkvae.model.VaeConfig;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparkvae.exec.TrainingSettings;
import org.sparkvae.analysis.SweepResults;
import org.sparkvae.model.ModelSize;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.VaeNetworkFactory;

/**
 * A sweep grid file (YAML): list-valued keys {@code latent_dims}, {@code priors} and optionally
 * {@code likelihoods}, {@code archs}, {@code seeds}; scalars such as {@code epochs},
 * {@code batch_size}, {@code dataset}. Every key not given takes the {@code train} default. The grid
 * is the Cartesian product, in file order. Unknown keys and bad values are refused with the key's name.
 */
public final class SweepGrid {
    static final ObjectMapper JSON = SweepResults.JSON;
    /** The grid key of each model setting: the grid's errors name its keys. */
    private static final Map<String, String> KEYS = Map.of("latentDim", "latent_dims", "learningRate", "learning_rate",
            "prior", "priors", "components", "components", "likelihood", "likelihoods", "fixedVariance", "variance",
            "arch", "archs", "levels", "levels");
    private static final Set<String> LISTS = Set.of("latent_dims", "priors", "likelihoods", "archs", "seeds");
    private static final Set<String> SCALARS = Set.of("epochs", "batch_size", "learning_rate", "components", "variance",
            "levels", "dataset", "train_images", "iwae_k", "iwae_images");

    private SweepGrid() { }

    public static List<SweepConfig> parse(InputStream yaml, String name) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(name + ": a grid file is a YAML mapping such as 'latent_dims: [2, 10]'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!LISTS.contains(k) && !SCALARS.contains(k)) {
                throw new IllegalArgumentException(name + ": unknown key '" + k + "' (lists: " + new java.util.TreeSet<>(LISTS)
                        + ", scalars: " + new java.util.TreeSet<>(SCALARS) + ")");
            }
        }
        List<Integer> dims = ints(root, "latent_dims", List.of(VaeConfig.defaults().latentDim()), name);
        List<String> priors = strings(root, "priors", List.of("gaussian"), name);
        List<String> likelihoods = strings(root, "likelihoods", List.of("bernoulli"), name);
        List<String> archs = strings(root, "archs", List.of("mlp"), name);
        List<Long> seeds = ints(root, "seeds", List.of(0), name).stream().map(Integer::longValue).toList();
        List<SweepConfig> out = new ArrayList<>();
        for (int m : dims) {
            for (String prior : priors) {
                for (String likelihood : likelihoods) {
                    for (String arch : archs) {
                        for (long seed : seeds) {
                            SweepConfig c = new SweepConfig();
                            c.latentDim = m;
                            c.prior = prior;
                            c.likelihood = likelihood;
                            c.arch = arch;
                            c.seed = seed;
                            c.epochs = scalarInt(root, "epochs", TrainingSettings.DEFAULT_EPOCHS, name);
                            c.batchSize = scalarInt(root, "batch_size", TrainingSettings.DEFAULT_BATCH_SIZE, name);
                            c.learningRate = scalarDouble(root, "learning_rate", VaeConfig.defaults().learningRate(), name);
                            c.components = scalarInt(root, "components", VaeConfig.defaults().components(), name);
                            c.variance = root.has("variance") ? root.get("variance").asText() : "learned";
                            c.levels = scalarInt(root, "levels", 1, name);
                            c.dataset = root.has("dataset") ? root.get("dataset").asText() : "mnist";
                            c.trainImages = scalarInt(root, "train_images", 0, name);
                            c.iwaeK = scalarInt(root, "iwae_k", 100, name);
                            c.iwaeImages = scalarInt(root, "iwae_images", 2000, name);
                            validate(c, name);
                            out.add(c);
                        }
                    }
                }
            }
        }
        if (out.stream().map(SweepConfig::key).distinct().count() != out.size()) {
            throw new IllegalArgumentException(name + ": the grid lists the same configuration twice");
        }
        return out;
    }

    private static void validate(SweepConfig c, String name) {
        if (c.epochs <= 0 || c.batchSize <= 0 || c.trainImages < 0 || c.iwaeK < 0 || c.iwaeImages <= 0) {
            throw new IllegalArgumentException(name + ": epochs, batch_size and iwae_images must be positive, "
                    + "train_images and iwae_k >= 0");
        }
        if (!Set.of("mnist", "fashion").contains(c.dataset)) {
            throw new IllegalArgumentException(name + ": dataset must be mnist or fashion, got '" + c.dataset + "'");
        }
        try {
            c.vaeConfig();
        } catch (IllegalArgumentException e) {
            String msg = e instanceof SettingException se ? se.messageIn(KEYS)
                    : e.getMessage() == null ? "" : e.getMessage();
            throw new IllegalArgumentException(name + ": bad configuration " + c.describe() + ": " + msg);
        }
    }

    private static double scalarDouble(JsonNode root, String key, double def, String name) {
        if (!root.has(key)) {
            return def;
        }
        JsonNode v = root.get(key);
        if (!v.isNumber()) { // asDouble() would read "fast" as 0.0
            throw new IllegalArgumentException(name + ": '" + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static int scalarInt(JsonNode root, String key, int def, String name) {
        if (!root.has(key)) {
            return def;
        }
        JsonNode v = root.get(key);
        if (!v.isInt()) {
            throw new IllegalArgumentException(name + ": '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static List<Integer> ints(JsonNode root, String key, List<Integer> def, String name) {
        if (!root.has(key)) {
            return def;
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode v : list(root, key, name)) {
            if (!v.isInt()) {
                throw new IllegalArgumentException(name + ": '" + key + "' must list integers, got " + v);
            }
            out.add(v.asInt());
        }
        return out;
    }

    private static List<String> strings(JsonNode root, String key, List<String> def, String name) {
        if (!root.has(key)) {
            return def;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : list(root, key, name)) {
            out.add(v.asText().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    private static JsonNode list(JsonNode root, String key, String name) {
        JsonNode v = root.get(key);
        if (!v.isArray() || v.isEmpty()) {
            throw new IllegalArgumentException(name + ": '" + key + "' must be a non-empty list such as [2, 10]");
        }
        return v;
    }

    static Map<String, Object> asMap(SweepConfig c) {
        return JSON.convertValue(c, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
    }

    /** A grid's size and the disk its models and results will take. */
    public record Estimate(int configs, long bytes) { }

    /**
     * Counts the configurations and estimates their disk use without allocating a network: each saved model
     * holds its parameters and Adam's two moments (4 bytes each), plus about 20 KB of JSON and results.
     */
    public static Estimate estimate(List<SweepConfig> configs) {
        long bytes = 0;
        java.util.Map<String, Long> perShape = new java.util.HashMap<>();
        for (SweepConfig c : configs) {
            VaeConfig v = c.vaeConfig();
            bytes += perShape.computeIfAbsent(v.toString(), k -> {
                org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = VaeNetworkFactory.configuration(
                        v, 0, org.nd4j.linalg.api.buffer.DataType.FLOAT);
                long params = ModelSize.parameters(conf);
                return 12 * params + 20_000;
            });
        }
        return new Estimate(configs.size(), bytes);
    }
}
