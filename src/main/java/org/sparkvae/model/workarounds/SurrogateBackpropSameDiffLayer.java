package org.sparkvae.model.workarounds;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's runtime {@link SameDiffLayer} with backprop repaired.
 *
 * <p><b>Why this class exists (DL4J 1.0.0-M2.1 bug).</b> The stock layer backpropagates the
 * incoming error through an {@code ExternalErrorsFunction}. Its {@code doDiff} both registers the
 * gradient placeholder as the variable's gradient and returns it, and
 * {@code DifferentialFunction.diff} adds the two: every parameter and input gradient comes out
 * exactly twice too large, compounding layer by layer. Adam hides a constant factor; SGD, clipping,
 * weight decay and gradient checks do not. {@code SameDiffLayerDoubledGradientTest} reproduces it.
 *
 * <p>The repair: backpropagate the scalar surrogate {@code sum(output * epsilon)} with epsilon fed
 * as a placeholder. Its gradient with respect to every parameter and the input is exactly the
 * vector-Jacobian product DL4J asks for, and SameDiff's ordinary loss machinery computes it once.
 * Every custom {@code SameDiffLayer} of this project instantiates this class.
 */
public class SurrogateBackpropSameDiffLayer extends SameDiffLayer {
    static final String EPSILON_KEY = "dl4jEpsilon";
    private static final String SURROGATE_LOSS = "surrogateLoss";

    static {
        SameDiffStdoutFilter.install();
    }

    public SurrogateBackpropSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected void doInit() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer bl =
                    (org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer) layerConf();
            sameDiff = SameDiff.create();
            // Views of DL4J's flattened parameter array must stay views: single-thread holders allow that.
            sameDiff.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);

            long[] inputShape = input.shape().clone();
            inputShape[0] = -1;
            SDVariable inputVar = sameDiff.placeHolder(INPUT_KEY, dataType, inputShape);
            Map<String, SDVariable> params = new LinkedHashMap<>();
            layerConf().getLayerParams().getParamShapes()
                    .forEach((name, shape) -> params.put(name, sameDiff.var(name, dataType, shape)));
            long[] maskShape = new long[inputShape.length];
            java.util.Arrays.fill(maskShape, -1);
            SDVariable mask = sameDiff.placeHolder(MASK_KEY, dataType, maskShape);

            SDVariable layerOutput = bl.defineLayer(sameDiff, inputVar, params, mask);
            outputVar = layerOutput;
            for (Map.Entry<String, INDArray> e : paramTable().entrySet()) {
                sameDiff.associateArrayWithVariable(e.getValue(), sameDiff.getVariable(e.getKey()));
            }

            long[] outShape = new long[inputShape.length];
            java.util.Arrays.fill(outShape, -1);
            SDVariable epsilon = sameDiff.placeHolder(EPSILON_KEY, dataType, outShape);
            SDVariable surrogate = layerOutput.mul(epsilon).sum(SURROGATE_LOSS);
            sameDiff.setLossVariables(surrogate);
            outputKey = layerOutput.name();
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {
                sameDiff.createGradFunction(INPUT_KEY);
            }
        }
        Dl4jSessionMemory.useBackpropWorkspaces(sameDiff, workspaceMgr);

        Map<String, INDArray> placeholders = new HashMap<>();
        placeholders.put(INPUT_KEY, input);
        placeholders.put(EPSILON_KEY, epsilon);
        placeholders.put(MASK_KEY, maskArray != null ? maskArray : layerConf().onesMaskForInput(input));

        List<String> required = new ArrayList<>(paramTable.size() + 1);
        required.add(INPUT_KEY);
        required.addAll(paramTable.keySet());
        Map<String, INDArray> grads = sameDiff.calculateGradients(placeholders, required);

        Gradient g = new DefaultGradient();
        for (String name : paramTable.keySet()) {
            INDArray view = gradTable.get(name);
            view.assign(grads.get(name));
            g.gradientForVariable().put(name, view);
        }
        INDArray dLdIn = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, grads.get(INPUT_KEY));
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return new Pair<>(g, dLdIn);
    }
}
