package org.sparkvae.model.store;

import org.sparkvae.model.Architecture;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.model.VaeNetworkFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Untrusted model zips: each crafted file is refused with one line naming it, before anything large is allocated. */
public class ModelZipReaderTest {
    @TempDir
    Path dir;
    Path good;

    @BeforeEach
    void saveAModel() throws Exception {
        VaeConfig config = new VaeConfig(20, 8, 3, 1e-3);
        Vae vae = Vae.create(config, 11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 20).gt(0.5).castTo(DataType.FLOAT);
        vae.network().fit(new DataSet(x, x));
        good = dir.resolve("good.zip");
        ModelStore.save(vae, new ModelInfo(config, "binary", null, "d", "md5", 1, 16, 11, Map.of(), "now", List.of()), good);
    }

    private Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                m.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return m;
    }

    private Path craft(String name, UnaryOperator<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> m = change.apply(entries(good));
        Path out = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : m.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out;
    }

    private String refused(Path zip) {
        IOException e = assertThrows(IOException.class, () -> ModelStore.load(zip));
        assertTrue(e.getMessage().startsWith(zip.toString() + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    /** The classic denial-of-service payload: nested HashSets whose hashCode takes 2^depth steps to compute. */
    public static byte[] hashSetBomb(int depth) throws IOException {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(root);
        }
        return b.toByteArray();
    }

    @Test
    void goodModelLoadsWithItsParametersAndAdamState() throws Exception {
        ModelStore.Loaded back = ModelStore.load(good);
        Map<String, byte[]> e = entries(good);
        // Written again by DL4J's own writer, the loaded arrays give the same bytes.
        Path again = dir.resolve("again.zip");
        ModelStore.save(back.vae(), back.info(), again);
        assertArrayEquals(e.get("coefficients.bin"), entries(again).get("coefficients.bin"));
        assertArrayEquals(e.get("updaterState.bin"), entries(again).get("updaterState.bin"));
    }

    @Test
    void deserializationPayloadIsRefusedWithoutBeingRead() throws Exception {
        // Depth 60: ObjectInputStream.readObject would hash for centuries; refusing must be immediate.
        Path bomb = craft("bomb.zip", m -> {
            try {
                m.put("preprocessor.bin", hashSetBomb(60));
            } catch (IOException ex) {
                throw new RuntimeException(ex);
            }
            return m;
        });
        String msg = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> refused(bomb));
        assertTrue(msg.contains("unexpected entry 'preprocessor.bin'"), msg);
        assertTrue(refused(craft("normalizer.zip", m -> {
            m.put("normalizer.bin", new byte[10]);
            return m;
        })).contains("unexpected entry 'normalizer.bin'"));
    }

    @Test
    void arrayHeaderClaimingTwoBillionFloatsIsRefusedBeforeAllocating() throws Exception {
        Path huge = craft("huge.zip", m -> {
            m.put("coefficients.bin", arrayBytes(Integer.MAX_VALUE, new float[16]));
            return m;
        });
        String msg = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> refused(huge));
        assertTrue(msg.contains("coefficients.bin declares 2147483647 values but the configuration has"), msg);
        Path shortUpdater = craft("updater.zip", m -> {
            m.put("updaterState.bin", arrayBytes(Integer.MAX_VALUE, new float[16]));
            return m;
        });
        assertTrue(refused(shortUpdater).contains("optimizer state"));
    }

    @Test
    void truncatedOrPaddedArraysAreRefused() throws Exception {
        assertTrue(refused(craft("trunc.zip", m -> {
            byte[] c = m.get("coefficients.bin");
            m.put("coefficients.bin", java.util.Arrays.copyOf(c, c.length - 9));
            return m;
        })).contains("coefficients.bin"));
        assertTrue(refused(craft("padded.zip", m -> {
            byte[] c = m.get("coefficients.bin");
            m.put("coefficients.bin", java.util.Arrays.copyOf(c, c.length + 8));
            return m;
        })).contains("coefficients.bin"));
    }

    @Test
    void nonFiniteParametersOrAdamStateAreRefused() throws Exception {
        for (String entry : List.of("coefficients.bin", "updaterState.bin")) {
            Path poisoned = craft("nan-" + entry + ".zip", m -> {
                byte[] c = m.get(entry).clone();
                // The last float of the array: 0x7fc00000 is NaN.
                c[c.length - 4] = 0x7f;
                c[c.length - 3] = (byte) 0xc0;
                c[c.length - 2] = 0;
                c[c.length - 1] = 0;
                m.put(entry, c);
                return m;
            });
            assertTrue(refused(poisoned).contains("NaN or infinite"), entry);
        }
    }

    @Test
    void configurationNamingAForeignClassIsRefused() throws Exception {
        Path foreign = craft("foreign.zip", m -> {
            String json = new String(m.get("configuration.json"), StandardCharsets.UTF_8)
                    .replace("org.nd4j.linalg.activations.impl.ActivationReLU", "javax.management.BadAttributeValueExpException");
            m.put("configuration.json", json.getBytes(StandardCharsets.UTF_8));
            return m;
        });
        assertTrue(refused(foreign).contains("names class 'javax.management.BadAttributeValueExpException'"));
        Path wrapper = craft("wrapper.zip", m -> {
            m.put("configuration.json", "{\"confs\": [{\"java.util.HashMap\": {}}]}".getBytes(StandardCharsets.UTF_8));
            return m;
        });
        assertTrue(refused(wrapper).contains("field named 'java.util.HashMap'"));
    }

    @Test
    void missingOrMalformedEntriesAreNamed() throws Exception {
        assertTrue(refused(craft("noconf.zip", m -> {
            m.remove("configuration.json");
            return m;
        })).contains("no configuration.json inside"));
        assertTrue(refused(craft("noinfo.zip", m -> {
            m.remove(ModelStore.INFO_ENTRY);
            return m;
        })).contains("not a spark-vae model"));
        assertTrue(refused(craft("badjson.zip", m -> {
            m.put("configuration.json", "{\"confs\": [".getBytes(StandardCharsets.UTF_8));
            return m;
        })).contains("configuration.json is not valid JSON"));
    }

    @Test
    void oversizedJsonEntryIsRefusedWithoutReadingIt() throws Exception {
        // 64 MB of spaces compress to a few KB: the reader stops at its limit.
        Path big = dir.resolve("big.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(big))) {
            for (Map.Entry<String, byte[]> e : entries(good).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getKey().equals("configuration.json")) {
                    byte[] spaces = new byte[1 << 20];
                    java.util.Arrays.fill(spaces, (byte) ' ');
                    for (int i = 0; i < 64; i++) {
                        z.write(spaces);
                    }
                }
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        assertTrue(refused(big).contains("configuration.json"));
    }

    /** Trust issue row 11: an info entry claiming another likelihood than the network is refused, not obeyed. */
    @Test
    void infoContradictingTheNetworkIsRefused() throws Exception {
        Path lying = craft("lying.zip", m -> {
            String info = new String(m.get(ModelStore.INFO_ENTRY), StandardCharsets.UTF_8);
            assertTrue(info.contains("\"likelihood\" : \"BERNOULLI\""), info);
            m.put(ModelStore.INFO_ENTRY, info.replace("\"likelihood\" : \"BERNOULLI\"", "\"likelihood\" : \"GAUSSIAN\"")
                    .getBytes(StandardCharsets.UTF_8));
            return m;
        });
        String msg = refused(lying);
        assertTrue(msg.contains("describes prior GAUSSIAN, likelihood GAUSSIAN") && msg.contains("network is prior GAUSSIAN, likelihood BERNOULLI"), msg);
    }

    /** Every class that any spark-vae network names is on the reader's allow-list. */
    @Test
    void allowListCoversEveryNetworkWeBuild() throws Exception {
        Set<String> named = new java.util.TreeSet<>();
        for (Architecture arch : Architecture.values()) {
            for (PriorKind prior : PriorKind.values()) {
                for (LikelihoodKind likelihood : LikelihoodKind.values()) {
                    for (int levels = 1; levels <= (prior == PriorKind.GAUSSIAN ? 2 : 1); levels++) {
                        for (Double variance : likelihood == LikelihoodKind.GAUSSIAN ? java.util.Arrays.asList(null, 0.1) : java.util.Collections.<Double>singletonList(null)) {
                            VaeConfig c = new VaeConfig(VaeConfig.MNIST_PIXELS, 64, 4, 1e-3)
                                    .withPrior(prior, 3).withLikelihood(likelihood, variance).withArch(arch).withLevels(levels);
                            collect(new ObjectMapper().readTree(VaeNetworkFactory.configuration(c, 1, DataType.FLOAT).toJson()), named);
                        }
                    }
                }
            }
        }
        Set<String> missing = new java.util.TreeSet<>(named);
        missing.removeAll(ModelZipReader.ALLOWED_CLASSES);
        assertEquals(Set.of(), missing, "classes our networks name but the loader refuses");
    }

    private static void collect(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(f -> {
                if (f.getKey().equals("@class")) {
                    out.add(f.getValue().asText());
                }
                collect(f.getValue(), out);
            });
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, out));
        }
    }

    /** An ND4J array entry (as Nd4j.write lays it out) whose data header declares {@code declared} floats. */
    static byte[] arrayBytes(long declared, float[] values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeUTF("MIXED_DATA_TYPES");
            o.writeLong(8);
            o.writeUTF("LONG");
            for (long v : new long[] {2, 1, declared, declared, 1, 8192, 1, 99}) {
                o.writeLong(v);
            }
            o.writeUTF("MIXED_DATA_TYPES");
            o.writeLong(declared);
            o.writeUTF("FLOAT");
            for (float v : values) {
                o.writeFloat(v);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return b.toByteArray();
    }
}
