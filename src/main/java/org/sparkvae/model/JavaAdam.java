package org.sparkvae.model;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Adam exactly as ND4J defines it (same hyper-parameters, same state layout [M | V] in the updater view, same
 * bias correction folded into the step size), with the update computed by one Java loop over the arrays'
 * native memory instead of ND4J's {@code adam_updater} op.
 *
 * <p><b>Why</b> (ND4J 1.0.0-M2.1): the native op takes 7.5–8 ms per call for the MLP's 1.34 M parameters on
 * one core (5.7 ns per element, whatever the orders of the arrays), 17–19 % of a training step; the same loop
 * in Java takes ≈ 3 ms (bench/README.md). {@code JavaAdamTest} pins it to ND4J's op. Arrays that are not
 * contiguous float arrays fall back to the native op.
 *
 * <p>Saved as {@code org.sparkvae.model.JavaAdam} in the configuration JSON; models saved with ND4J's
 * {@code Adam} keep it (same arithmetic up to float rounding).
 */
public class JavaAdam extends Adam {
    public JavaAdam() {
        super();
    }

    public JavaAdam(double learningRate) {
        super(learningRate);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        JavaAdamUpdater u = new JavaAdamUpdater(this);
        // As Adam.instantiate does.
        viewArray = viewArray.reshape(viewArray.length());
        long[] gradientShape = {viewArray.length() / 2};
        u.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        JavaAdamUpdater u = new JavaAdamUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public JavaAdam clone() {
        JavaAdam a = new JavaAdam(getLearningRate());
        a.setLearningRateSchedule(getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone());
        a.setBeta1(getBeta1());
        a.setBeta2(getBeta2());
        a.setEpsilon(getEpsilon());
        return a;
    }

    /** The updater: ND4J's, with {@link #applyUpdater} replaced. */
    static final class JavaAdamUpdater extends AdamUpdater {
        private final Adam config;

        JavaAdamUpdater(Adam config) {
            super(config);
            this.config = config;
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            Map<String, INDArray> state = getState();
            INDArray m = state.get(M_STATE);
            INDArray v = state.get(V_STATE);
            if (m == null || v == null) {
                throw new IllegalStateException("Updater has not been initialized with view state");
            }
            FloatBuffer g = floats(gradient);
            FloatBuffer mb = floats(m);
            FloatBuffer vb = floats(v);
            if (g == null || mb == null || vb == null || gradient.length() != m.length()) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            // ND4J's arithmetic (libnd4j updaterAdam.cpp), in float as it does it.
            double lr = config.getLearningRate(iteration, epoch);
            float beta1 = (float) config.getBeta1();
            float beta2 = (float) config.getBeta2();
            float epsilon = (float) config.getEpsilon();
            float beta1T = (float) Math.pow(beta1, iteration + 1);
            float beta2T = (float) Math.pow(beta2, iteration + 1);
            float step = (float) (lr * Math.sqrt(1.0f - beta2T) / (1.0f - beta1T));
            if (Float.isNaN(step) || Float.isInfinite(step) || step == 0) {
                step = epsilon;
            }
            float oneMinusBeta1 = 1 - beta1;
            float oneMinusBeta2 = 1 - beta2;
            int n = (int) gradient.length();
            for (int i = 0; i < n; i++) {
                float gi = g.get(i);
                float mi = beta1 * mb.get(i) + gi * oneMinusBeta1;
                float vi = beta2 * vb.get(i) + gi * gi * oneMinusBeta2;
                mb.put(i, mi);
                vb.put(i, vi);
                g.put(i, mi * step / ((float) Math.sqrt(vi) + epsilon));
            }
        }

        /** The array's elements as a direct buffer, or null if it is not a contiguous float array. */
        private static FloatBuffer floats(INDArray a) {
            if (a.dataType() != DataType.FLOAT || a.length() > Integer.MAX_VALUE || a.elementWiseStride() != 1
                    || a.data().addressPointer() == null) {
                return null;
            }
            FloatPointer p = new FloatPointer(a.data().addressPointer());
            return p.capacity(a.length()).asBuffer();
        }
    }
}
