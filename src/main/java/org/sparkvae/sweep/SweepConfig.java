package org.sparkvae.sweep;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.sparkvae.model.Architecture;
import org.sparkvae.model.LikelihoodKind;
import org.sparkvae.model.PriorKind;
import org.sparkvae.model.SettingException;
import org.sparkvae.model.VaeConfig;

import java.io.Serializable;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.sparkvae.analysis.SweepResult;
import org.sparkvae.run.ElboReport;

/**
 * One point of a sweep: everything that determines its result. {@link #key()} hashes all of it, so
 * a result is found again by its configuration alone (reruns skip it) and two configurations never
 * share a key. A plain class with public fields: it travels to Spark tasks and through Jackson.
 */
@JsonPropertyOrder(alphabetic = true)
public final class SweepConfig implements Serializable {
    public int latentDim;
    public String prior;
    public int components;
    public String likelihood;
    public String variance;
    public String arch;
    public int levels;
    public long seed;
    public int epochs;
    public int batchSize;
    public double learningRate;
    public String dataset;
    /** Train on the first N training images (0: all). */
    public int trainImages;
    /** IWAE samples for the test NLL (0: none) and the number of test images it uses. */
    public int iwaeK;
    public int iwaeImages;

    public SweepConfig() { }

    /** The model this point trains; validated (a bad grid fails before any training). */
    public VaeConfig vaeConfig() {
        PriorKind p = SettingException.parseKind(PriorKind.class, "prior", prior);
        LikelihoodKind l = SettingException.parseKind(LikelihoodKind.class, "likelihood", likelihood);
        Double fixed = variance == null || variance.equalsIgnoreCase("learned") ? null : Double.valueOf(variance);
        return new VaeConfig(VaeConfig.MNIST_PIXELS, VaeConfig.DEFAULT_HIDDEN, latentDim, learningRate, p, components, l, fixed,
                SettingException.parseKind(Architecture.class, "arch", arch), levels);
    }

    /** First 16 hex digits of the SHA-256 of the canonical (sorted-key) JSON of every field. */
    public String key() {
        try {
            byte[] json = SweepGrid.JSON.writeValueAsBytes(this);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash sweep config", e);
        }
    }

    /** "M=10 prior=mog likelihood=bernoulli arch=mlp seed=0" for logs. */
    public String describe() {
        return "M=" + latentDim + " prior=" + prior + " likelihood=" + likelihood
                + (likelihood.equals("gaussian") ? "(" + variance + ")" : "") + " arch=" + arch
                + (levels == 2 ? " levels=2" : "") + " seed=" + seed;
    }
    /** The result of this configuration once trained and evaluated. */
    public SweepResult result(ElboReport test, Double nllIwae, double seconds, String mode,
                                                  String model) {
        SweepConfig c = this;
        return new SweepResult(c.key(), c.latentDim, c.prior, c.components, c.likelihood, c.variance, c.arch,
                c.levels, c.seed, c.epochs, c.batchSize, c.learningRate, c.dataset, c.trainImages, c.iwaeK, c.iwaeImages,
                test.negElbo(), test.recon(), test.kl(), nllIwae, c.iwaeK, seconds, mode, model, java.time.Instant.now().toString());
    }
}
