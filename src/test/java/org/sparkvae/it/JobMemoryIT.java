package org.sparkvae.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's jobs on the default path (submit/spark-vae, embedded Spark, the default 4 GB heap, data/mnist
 * relative to the working directory) each in its own JVM, whose peak resident memory (VmHWM) stays within
 * heap + 2 GB. Before NativeMalloc and the loss-terms workspace, {@code evaluate --iwae 100} passed 9.7 GB within
 * 40 s. The model is the README's main one (ReadmeJobs, shared with MnistBarIT and ReportIT): memory depends on
 * the architecture and the data, not on how long the model trained.
 */
class JobMemoryIT {
    /** The stated budget: the default heap (4 GB) + 2 GB for ND4J's native memory, Spark and the JVM itself. */
    static final long BUDGET_MB = 6 * 1024;

    private static void withinBudget(ReadmeJobs.Job job) {
        System.out.println("JobMemoryIT: " + job.name() + " peak resident memory " + job.peakMb() + " MB");
        assertTrue(job.peakMb() <= BUDGET_MB, job.name() + ": peak resident memory " + job.peakMb() + " MB over the "
                + BUDGET_MB + " MB budget\n" + job.out());
    }

    @Test
    void trainTenEpochs() throws Exception {
        withinBudget(ReadmeJobs.mainModel());
    }

    @Test
    void evaluateWithIwae100OnTheWholeTestSet() throws Exception {
        ReadmeJobs.mainModel();
        withinBudget(ReadmeJobs.run("evaluate-iwae", "evaluate", "--model", ReadmeJobs.MODEL, "--iwae", "100",
                "--out", "runs/m10-iwae.json", "--no-progress"));
        JsonNode m = new ObjectMapper().readTree(ReadmeJobs.path("runs/m10-iwae.json").toFile());
        assertEquals(10_000, m.get("n").asInt(), m.toString());
        assertTrue(m.toString().contains("iwae"), "an IWAE estimate in " + m);
        // IWAE with k = 100 is a tighter bound than the ELBO (k = 1): its NLL estimate lies below the -ELBO.
        assertTrue(m.get("test_nll_iwae").asDouble() < m.get("test_neg_elbo").asDouble(), m.toString());
    }

    @Test
    void project() throws Exception {
        withinBudget(ReadmeJobs.project());
        assertTrue(Files.exists(ReadmeJobs.path("runs/m10-projection/latent-pca.png")));
    }

    @Test
    void report() throws Exception {
        withinBudget(ReadmeJobs.report());
        assertTrue(Files.exists(ReadmeJobs.path("runs/m10-report/report.html")));
    }
}
