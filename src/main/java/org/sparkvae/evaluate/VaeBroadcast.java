package org.sparkvae.evaluate;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkvae.model.store.ModelStore;
import org.sparkvae.model.Vae;
import org.sparkvae.model.VaeConfig;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * What executors need to rebuild a {@link Vae}: the DL4J configuration JSON, the parameters and the
 * model's {@link VaeConfig} as JSON. A plain class, not a record: Spark's Kryo 4 cannot serialise records.
 */
public final class VaeBroadcast implements Serializable {
    private String configJson;
    private float[] params;
    private String vaeConfigJson;

    VaeBroadcast() { }

    public VaeBroadcast(Vae vae) {
        MultiLayerNetwork net = vae.network();
        this.configJson = net.getLayerWiseConfigurations().toJson();
        this.params = net.params().castTo(DataType.FLOAT).toFloatVector();
        try {
            this.vaeConfigJson = ModelStore.json().writeValueAsString(vae.config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Vae vae() {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configJson));
        net.init(Nd4j.create(params, new long[] {1, params.length}, 'c').castTo(net.getLayerWiseConfigurations().getDataType()), false);
        try {
            return new Vae(net, ModelStore.json().readValue(vaeConfigJson, VaeConfig.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
