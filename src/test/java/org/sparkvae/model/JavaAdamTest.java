package org.sparkvae.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JavaAdam} computes what ND4J's Adam op computes, on views at an offset as DL4J hands them over. */
class JavaAdamTest {
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double err = e.sub(a).amaxNumber().doubleValue() / Math.max(1e-30, e.amaxNumber().doubleValue());
        assertTrue(err < 1e-6, what + ": relative difference " + err);
    }

    @Test
    void sameUpdatesAndStateAsNd4jsAdamOverManyIterationsOnOffsetViews() {
        int n = 1000;
        Nd4j.getRandom().setSeed(Nd4jSeeds.of(3));
        // Gradient and state as views at an offset inside larger flattened arrays, as DL4J's updater blocks are.
        INDArray flatStateA = Nd4j.create(DataType.FLOAT, 1, 2 * n + 64);
        INDArray flatStateB = Nd4j.create(DataType.FLOAT, 1, 2 * n + 64);
        INDArray stateA = flatStateA.get(NDArrayIndex.point(0), NDArrayIndex.interval(64, 64 + 2 * n)).reshape(1, 2 * n);
        INDArray stateB = flatStateB.get(NDArrayIndex.point(0), NDArrayIndex.interval(64, 64 + 2 * n)).reshape(1, 2 * n);
        GradientUpdater nd4j = new Adam(0.01).instantiate(stateA, true);
        GradientUpdater ours = new JavaAdam(0.01).instantiate(stateB, true);
        assertInstanceOf(JavaAdam.JavaAdamUpdater.class, ours);
        for (int it = 0; it < 50; it++) {
            INDArray flatGrad = Nd4j.randn(DataType.FLOAT, 1, n + 32).muli(it % 7 == 0 ? 100 : 0.01);
            INDArray gA = flatGrad.dup().get(NDArrayIndex.point(0), NDArrayIndex.interval(32, 32 + n)).reshape(1, n);
            INDArray flatB = flatGrad.dup();
            INDArray gB = flatB.get(NDArrayIndex.point(0), NDArrayIndex.interval(32, 32 + n)).reshape(1, n);
            nd4j.applyUpdater(gA, it, 0);
            ours.applyUpdater(gB, it, 0);
            assertClose(gA, gB, "update at iteration " + it);
            assertClose(stateA, stateB, "state [M | V] at iteration " + it);
            // Nothing outside the views is touched.
            assertEquals(0.0, flatB.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 32)).sub(
                    flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 32))).amaxNumber().doubleValue());
        }
        assertEquals(0.0, flatStateB.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 64)).amaxNumber().doubleValue());
    }

    @Test
    void networksUseItAndItSurvivesTheConfigurationJson() {
        MultiLayerConfiguration conf = VaeNetworkFactory.configuration(new VaeConfig(20, 8, 2, 1e-3), 1, DataType.FLOAT);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        int checked = 0;
        for (int i = 0; i < back.getConfs().size(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer l = back.getConf(i).getLayer();
            for (String p : l.initializer().paramKeys(l)) {
                assertInstanceOf(JavaAdam.class, l.getUpdaterByParam(p), "layer " + i + " " + p);
                checked++;
            }
        }
        assertTrue(checked >= 10, "parameters checked: " + checked);
        assertInstanceOf(JavaAdam.class, new JavaAdam(1e-3).clone());
        assertEquals(1e-3, back.getConf(0).getLayer().getUpdaterByParam("W").clone().getLearningRate(0, 0));
    }
}
