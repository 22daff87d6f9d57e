package org.sparkvae.model.workarounds;

import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;

/** Points a SameDiff gradient session of this thread at DL4J's backprop workspaces (as DL4J's own layers do). */
public final class Dl4jSessionMemory {
    private Dl4jSessionMemory() { }

    public static void useBackpropWorkspaces(SameDiff sameDiff, LayerWorkspaceMgr workspaceMgr) {
        SameDiff grad = sameDiff.getFunction("grad");
        InferenceSession session = grad.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(grad));
        session.setMmgr(new DL4JSameDiffMemoryMgr(
                workspaceMgr.getWorkspaceName(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD),
                workspaceMgr.getConfiguration(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATION_GRAD)));
    }
}
