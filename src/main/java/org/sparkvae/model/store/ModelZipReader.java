package org.sparkvae.model.store;

import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.NetworkLayout;
import org.sparkvae.model.layers.ElboOutputLayer;
import org.sparkvae.model.layers.GaussianLatentLayer;
import org.sparkvae.model.layers.NoiseAppendingPreProcessor;
import org.sparkvae.model.layers.PassThroughDeconvLayer;
import org.sparkvae.model.layers.PassThroughDenseLayer;
import org.sparkvae.model.layers.PseudoInputLayer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.sparkvae.model.ModelSize;

/**
 * Reads a spark-vae model zip without DL4J's {@code ModelSerializer} restore path, treating every byte as
 * untrusted.
 *
 * <p><b>Why not {@code ModelSerializer.restoreMultiLayerNetwork} (DL4J 1.0.0-M2.1).</b> It reads a zip
 * entry {@code preprocessor.bin} with a plain {@code ObjectInputStream.readObject()} (Java deserialization
 * of a stranger's bytes: a few KB of nested HashSets pin a core, a gadget chain runs code), and its array
 * reader allocates whatever length an array header claims (2^31-1 floats: 8.5 GB of native memory) before
 * noticing the entry is short. Our models never contain that entry.
 *
 * <p>Here, in this order, before anything is allocated from a declared size or handed to DL4J/ND4J:
 * <ol>
 *   <li>the zip holds exactly the entries spark-vae writes (no others, no duplicates), each of a bounded size;</li>
 *   <li>the JSON entries are parsed as plain trees; every {@code @class} in the network configuration is on
 *       an allow-list and no field name is a class name (Jackson's polymorphic typing would instantiate it);</li>
 *   <li>the parameter count comes from the configuration; the arrays' headers must declare exactly that many
 *       values of the network's type, the entries' sizes must match, and every value must be finite.</li>
 * </ol>
 * {@link #inspect} runs steps 1-2 in plain Java (no ND4J, no Spark), so commands can refuse a bad file at once.
 */
public final class ModelZipReader {
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER = "updaterState.bin";
    static final Set<String> ENTRIES = Set.of(CONFIGURATION, COEFFICIENTS, UPDATER, ModelStore.INFO_ENTRY);

    /** The JSON entries are a few KB; 4 MiB leaves room for long training histories. */
    static final long MAX_JSON_BYTES = 4L << 20;
    /** Our largest network (CNN, M=32, VampPrior with 50 pseudo-inputs) has about 4.5 M parameters. */
    static final long MAX_PARAMETERS = 64L << 20;

    /**
     * Every class a spark-vae network configuration names. {@code ModelZipReaderTest} builds every
     * architecture, prior, likelihood and level count and checks that this list covers them.
     */
    static final Set<String> ALLOWED_CLASSES = Set.of(
            "org.deeplearning4j.nn.conf.layers.DenseLayer",
            "org.deeplearning4j.nn.conf.layers.ConvolutionLayer",
            "org.sparkvae.model.layers.Conv2dLayer",
            "org.sparkvae.model.layers.FusedDenseLayer",
            "org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor",
            "org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor",
            "org.deeplearning4j.nn.weights.WeightInitDistribution",
            "org.deeplearning4j.nn.weights.WeightInitXavier",
            "org.deeplearning4j.nn.weights.WeightInitRelu",
            "org.deeplearning4j.nn.conf.distribution.NormalDistribution",
            "org.deeplearning4j.nn.conf.distribution.UniformDistribution",
            "org.nd4j.linalg.activations.impl.ActivationReLU",
            "org.nd4j.linalg.activations.impl.ActivationIdentity",
            "org.nd4j.linalg.activations.impl.ActivationSigmoid",
            "org.nd4j.linalg.learning.config.Adam",
            NoiseAppendingPreProcessor.class.getName(),
            PseudoInputLayer.class.getName(),
            GaussianLatentLayer.class.getName(),
            PassThroughDenseLayer.class.getName(),
            PassThroughDeconvLayer.class.getName(),
            ElboOutputLayer.class.getName());

    /**
     * Class names models saved by spark-vae 0.1.0 to 0.4 use for our layers, before {@code model/} was split into
     * packages: each maps to its class today. The reader accepts them and rewrites them before DL4J parses the
     * configuration (test fixtures: {@code src/test/resources/models/v0.1.0-*.zip}).
     */
    static final Map<String, String> RENAMED = Map.of(
            "org.sparkvae.model.NoiseAppendingPreProcessor", NoiseAppendingPreProcessor.class.getName(),
            "org.sparkvae.model.PseudoInputLayer", PseudoInputLayer.class.getName(),
            "org.sparkvae.model.GaussianLatentLayer", GaussianLatentLayer.class.getName(),
            "org.sparkvae.model.PassThroughDenseLayer", PassThroughDenseLayer.class.getName(),
            "org.sparkvae.model.PassThroughDeconvLayer", PassThroughDeconvLayer.class.getName(),
            "org.sparkvae.model.ElboOutputLayer", ElboOutputLayer.class.getName());

    /** A JSON field name or a layer index (input preprocessors are keyed by it): DL4J's legacy wrapper-object typing would use a class name as the key. */
    private static final Pattern FIELD_NAME = Pattern.compile("@?[A-Za-z_$][A-Za-z0-9_$]*|[0-9]{1,9}");
    private static final ObjectMapper TREES = new ObjectMapper();

    private ModelZipReader() { }

    /** What {@link #inspect} found: the validated JSON entries, nothing allocated for arrays yet. */
    public record Inspected(Path zip, ModelInfo info, String configJson, boolean hasUpdater) { }

    /** Steps 1-2: entries, sizes, JSON and classes. Plain Java: safe to call before Spark or ND4J start. */
    public static Inspected inspect(Path zip) throws IOException {
        try (ZipFile zf = open(zip)) {
            Set<String> seen = new HashSet<>();
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                String name = en.nextElement().getName();
                if (!ENTRIES.contains(name)) {
                    throw refuse(zip, "unexpected entry '" + printable(name) + "' (a spark-vae model holds only "
                            + String.join(", ", List.of(CONFIGURATION, COEFFICIENTS, UPDATER, ModelStore.INFO_ENTRY)) + ")");
                }
                if (!seen.add(name)) {
                    throw refuse(zip, "entry '" + name + "' appears twice");
                }
            }
            for (String required : List.of(ModelStore.INFO_ENTRY, CONFIGURATION, COEFFICIENTS)) {
                if (!seen.contains(required)) {
                    throw refuse(zip, required.equals(ModelStore.INFO_ENTRY)
                            ? "not a spark-vae model (no " + ModelStore.INFO_ENTRY + " inside)"
                            : "no " + required + " inside (not a complete model)");
                }
            }
            ModelInfo info;
            try {
                info = ModelStore.json().readValue(readJson(zf, zip, ModelStore.INFO_ENTRY), ModelInfo.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw refuse(zip, ModelStore.INFO_ENTRY + " is not valid model information (" + e.getOriginalMessage() + ")");
            }
            if (info == null || info.config() == null) {
                throw refuse(zip, ModelStore.INFO_ENTRY + " names no model configuration");
            }
            String config = new String(readJson(zf, zip, CONFIGURATION), StandardCharsets.UTF_8);
            JsonNode tree;
            try {
                tree = TREES.readTree(config);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw refuse(zip, CONFIGURATION + " is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (tree == null || !tree.isObject()) {
                throw refuse(zip, CONFIGURATION + " is not a JSON object");
            }
            checkClasses(tree, zip);
            if (renameOldClasses(tree)) {
                config = TREES.writeValueAsString(tree);
            }
            return new Inspected(zip, info, config, seen.contains(UPDATER));
        }
    }

    /** All three steps; returns the network with its parameters and (if saved) Adam state. */
    public static ModelStore.Loaded read(Path zip) throws IOException {
        Inspected in = inspect(zip);
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(in.configJson());
        } catch (RuntimeException e) {
            throw refuse(zip, CONFIGURATION + " is not a network configuration (" + firstLine(e) + ")");
        }
        checkAgainstInfo(conf, in.info().config(), zip);
        long nParams = ModelSize.parameters(conf);
        if (nParams <= 0 || nParams > MAX_PARAMETERS) {
            throw refuse(zip, "the configuration declares " + nParams + " parameters (at most " + MAX_PARAMETERS + " accepted)");
        }
        DataType type = conf.getDataType() == null ? DataType.FLOAT : conf.getDataType();
        MultiLayerNetwork net;
        try (ZipFile zf = open(zip)) {
            INDArray params = readArray(zf, zip, COEFFICIENTS, nParams, type, "parameters");
            net = new MultiLayerNetwork(conf);
            net.init(params, false);
            if (in.hasUpdater()) {
                INDArray view = net.getUpdater().getStateViewArray();
                long nState = view == null ? 0 : view.length();
                INDArray state = readArray(zf, zip, UPDATER, nState, type, "optimizer state");
                net.getUpdater().setStateViewArray(net, state, false);
            }
        }
        return new ModelStore.Loaded(new Vae(net, in.info().config()), in.info());
    }

    /**
     * The info entry must describe the network it travels with: evaluate and sample obey the info (data mode,
     * likelihood), so an entry that claims another likelihood, prior or size than the network would be obeyed
     * silently. The network is the truth; a mismatch is refused.
     */
    private static void checkAgainstInfo(MultiLayerConfiguration conf, VaeConfig claimed, Path zip) throws IOException {
        if (conf.getConfs().isEmpty()
                || !(conf.getConf(NetworkLayout.outputLayer(conf)).getLayer() instanceof ElboOutputLayer loss)) {
            throw refuse(zip, CONFIGURATION + " is not a spark-vae network (its last layer is not the ELBO layer)");
        }
        try {
            NetworkLayout.latentLayer(conf);
        } catch (IllegalArgumentException e) {
            throw refuse(zip, CONFIGURATION + " is not a spark-vae network (no latent layer)");
        }
        String network = "prior " + loss.prior() + ", likelihood " + loss.likelihood() + ", M=" + loss.latentDim()
                + ", D=" + loss.dataSize();
        String info = "prior " + claimed.prior() + ", likelihood " + claimed.likelihood() + ", M=" + claimed.latentDim()
                + ", D=" + claimed.inputSize();
        if (!network.equals(info)) {
            throw refuse(zip, ModelStore.INFO_ENTRY + " describes " + info + " but the network is " + network);
        }
    }

    private static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(zip + ": not a valid model zip (" + e.getMessage() + ")");
        }
    }

    private static void checkClasses(JsonNode node, Path zip) throws IOException {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!FIELD_NAME.matcher(f.getKey()).matches()) {
                    throw refuse(zip, CONFIGURATION + " has a field named '" + printable(f.getKey())
                            + "', which no spark-vae network has");
                }
                if (f.getKey().equals("@class") && !(f.getValue().isTextual() && (ALLOWED_CLASSES.contains(f.getValue().asText())
                        || RENAMED.containsKey(f.getValue().asText())))) {
                    throw refuse(zip, CONFIGURATION + " names class '" + printable(f.getValue().asText())
                            + "', which is not part of a spark-vae network");
                }
                checkClasses(f.getValue(), zip);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                checkClasses(child, zip);
            }
        }
    }

    /** Rewrites old {@code @class} names ({@link #RENAMED}) in place; whether any was found. */
    private static boolean renameOldClasses(JsonNode node) {
        boolean renamed = false;
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            JsonNode type = object.get("@class");
            if (type != null && type.isTextual() && RENAMED.containsKey(type.asText())) {
                object.put("@class", RENAMED.get(type.asText()));
                renamed = true;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                renamed |= renameOldClasses(it.next().getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                renamed |= renameOldClasses(child);
            }
        }
        return renamed;
    }

    private static byte[] readJson(ZipFile zf, Path zip, String name) throws IOException {
        ZipEntry e = zf.getEntry(name);
        if (e.getSize() > MAX_JSON_BYTES) {
            throw refuse(zip, name + " declares " + e.getSize() + " bytes (at most " + MAX_JSON_BYTES + " accepted)");
        }
        try (InputStream in = zf.getInputStream(e)) {
            // Never trust the declared size: stop at the limit whatever the stream delivers.
            byte[] bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw refuse(zip, name + " is larger than " + MAX_JSON_BYTES + " bytes");
            }
            return bytes;
        } catch (java.util.zip.ZipException ex) {
            throw refuse(zip, name + " is corrupt (" + ex.getMessage() + ")");
        }
    }

    /**
     * Reads one array written by {@code Nd4j.write}: a shape buffer (allocation mode, length, type LONG,
     * the shape-info longs), then a data buffer (allocation mode, length, type, the values, big-endian).
     * The header must declare exactly {@code expected} values of {@code type} and the entry must hold exactly
     * those bytes; only then is the array allocated. Non-finite values are refused.
     */
    static INDArray readArray(ZipFile zf, Path zip, String name, long expected, DataType type, String what)
            throws IOException {
        ZipEntry e = zf.getEntry(name);
        int width = switch (type) {
            case FLOAT -> 4;
            case DOUBLE -> 8;
            default -> throw refuse(zip, "the configuration's data type " + type + " is not FLOAT or DOUBLE");
        };
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(zf.getInputStream(e), 1 << 16))) {
            long headerBytes = 0;
            BufferHeader shape = BufferHeader.read(in, zip, name);
            headerBytes += shape.bytes();
            if (shape.type() != DataType.LONG || shape.length() < 4 || shape.length() > 2 * 32 + 4) {
                throw refuse(zip, name + " does not start with an array shape");
            }
            long[] shapeInfo = new long[(int) shape.length()];
            for (int i = 0; i < shapeInfo.length; i++) {
                shapeInfo[i] = in.readLong();
            }
            headerBytes += 8L * shapeInfo.length;
            int rank = (int) shapeInfo[0];
            if (rank < 1 || rank > 2 || shapeInfo.length != 2 * rank + 4) {
                throw refuse(zip, name + " holds an array of rank " + shapeInfo[0] + ", not a vector");
            }
            long product = 1;
            for (int i = 1; i <= rank; i++) {
                if (shapeInfo[i] < 0 || shapeInfo[i] > MAX_PARAMETERS) {
                    product = shapeInfo[i] < 0 ? -1 : shapeInfo[i]; // refused just below
                    break;
                }
                product *= shapeInfo[i];
            }
            if (product != expected) {
                throw refuse(zip, name + " declares " + product + " values but the configuration has " + expected + " " + what);
            }
            BufferHeader data = BufferHeader.read(in, zip, name);
            headerBytes += data.bytes();
            if (data.length() != expected) {
                throw refuse(zip, name + " declares " + data.length() + " values but the configuration has " + expected + " " + what);
            }
            if (data.type() != type) {
                throw refuse(zip, name + " holds " + data.type() + " values but the configuration is " + type);
            }
            long bytes = expected * width;
            if (e.getSize() != -1 && e.getSize() != headerBytes + bytes) {
                throw refuse(zip, name + " is " + e.getSize() + " bytes, but its header declares " + (headerBytes + bytes));
            }
            INDArray out;
            boolean finite = true;
            if (type == DataType.FLOAT) {
                float[] v = new float[(int) expected];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                    finite &= Float.isFinite(v[i]);
                }
                out = Nd4j.create(v, new long[] {1, expected}, 'c');
            } else {
                double[] v = new double[(int) expected];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readDouble();
                    finite &= Double.isFinite(v[i]);
                }
                out = Nd4j.create(v, new long[] {1, expected}, 'c');
            }
            if (in.read() != -1) {
                throw refuse(zip, name + " holds more bytes than its header declares");
            }
            if (!finite) {
                throw refuse(zip, "its " + what + " hold NaN or infinite values (a diverged or corrupt model); refusing to use it");
            }
            return out;
        } catch (java.io.EOFException ex) {
            throw refuse(zip, name + " is truncated");
        } catch (java.util.zip.ZipException ex) {
            throw refuse(zip, name + " is corrupt (" + ex.getMessage() + ")");
        }
    }

    /** One ND4J data-buffer header: allocation mode (UTF), length (int or long), data type (UTF). */
    private record BufferHeader(long length, DataType type, long bytes) {
        static BufferHeader read(DataInputStream in, Path zip, String name) throws IOException {
            String mode = readShortUtf(in, zip, name);
            org.nd4j.linalg.api.buffer.DataBuffer.AllocationMode alloc;
            try {
                alloc = org.nd4j.linalg.api.buffer.DataBuffer.AllocationMode.valueOf(mode);
            } catch (IllegalArgumentException e) {
                throw refuse(zip, name + " is not an ND4J array (allocation mode '" + printable(mode) + "')");
            }
            // ND4J writes an int length for the three oldest modes and a long for the others.
            long length = alloc.ordinal() < 3 ? in.readInt() : in.readLong();
            String typeName = readShortUtf(in, zip, name);
            DataType type;
            try {
                type = DataType.valueOf(typeName);
            } catch (IllegalArgumentException e) {
                throw refuse(zip, name + " is not an ND4J array (data type '" + printable(typeName) + "')");
            }
            if (length < 0) {
                throw refuse(zip, name + " declares a negative length");
            }
            return new BufferHeader(length, type, 2 + mode.length() + (alloc.ordinal() < 3 ? 4 : 8) + 2 + typeName.length());
        }

        private static String readShortUtf(DataInputStream in, Path zip, String name) throws IOException {
            int len = in.readUnsignedShort();
            if (len > 32) {
                throw refuse(zip, name + " is not an ND4J array");
            }
            byte[] b = in.readNBytes(len);
            if (b.length != len) {
                throw new java.io.EOFException();
            }
            return new String(b, StandardCharsets.US_ASCII);
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** At most 80 printable characters of an attacker's string, for an error line. */
    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }

    static IOException refuse(Path zip, String why) {
        return new IOException(zip + ": " + why + "; not loaded");
    }
}
