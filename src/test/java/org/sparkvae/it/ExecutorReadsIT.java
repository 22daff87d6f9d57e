package org.sparkvae.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkvae.analysis.ProjectionJob;
import org.sparkvae.analysis.RunReportBuilder;
import org.sparkvae.data.DataMode;
import org.sparkvae.data.KnownDataset;
import org.sparkvae.data.MnistFiles;
import org.sparkvae.data.RealData;
import org.sparkvae.job.EvaluationRun;
import org.sparkvae.model.VaeConfig;
import org.sparkvae.spark.SparkSetup;
import org.sparkvae.spark.SplitData;
import org.sparkvae.run.EpochRecord;
import org.sparkvae.train.PpcaRun;
import org.sparkvae.job.TrainingRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Spark job reads real MNIST through the executors (the idx data source), not through the driver: train
 * on all 60,000 images with its per-epoch test ELBO, evaluate (with IWAE on a head of the test set), project,
 * ppca and report run on {@code local[2]} with every task under 1 MB as Spark's scheduler sized it (a task that
 * carries the pixels is 3.9 MB and more; {@link TaskSizes}), record the files' checksums an executor computed, and
 * give the same numbers as the driver's reader where the numbers do not depend on the partitioning.
 */
@org.junit.jupiter.api.parallel.ResourceLock(org.sparkvae.spark.TestSpark.LOCK) // Spark runs in this JVM
class ExecutorReadsIT {
    private static final SparkSetup LOCAL2 = new SparkSetup("local[2]", null);

    @TempDir
    Path dir;

    private final List<String> scheduler = Collections.synchronizedList(new ArrayList<>());
    private AutoCloseable capture;

    /** Records Spark's TaskSetManager lines: every task's serialized size and its "very large size" warning. */
    @BeforeEach
    void listen() {
        capture = TaskSizes.capture(scheduler);
    }

    @AfterEach
    void stopListening() throws Exception {
        capture.close();
    }

    @Test
    void everyJobReadsThroughTheExecutors() throws Exception {
        String mnist = RealData.mnist().toString();
        MnistFiles files = new MnistFiles(mnist);
        assertTrue(SplitData.check(files, MnistFiles.Split.TRAIN, DataMode.BINARY, LOCAL2).executorsRead());
        String model = dir.resolve("m.zip").toString();

        TrainingRun.Result trained = TrainingRun.run(new TrainingRun.Spec(VaeConfig.defaults(), DataMode.BINARY, () -> files, model,
                1, 128, 0, false, false, true, false, LOCAL2, null, 50));
        assertEquals(KnownDataset.MNIST.entries().get(0).md5(), trained.info().trainImagesMd5(), "checksum by an executor");
        assertEquals("mnist", trained.info().dataset());
        EpochRecord epoch = trained.info().epochMetrics().get(0);
        assertNotNull(epoch.testNegElbo(), "per-epoch test ELBO on the executors");
        assertTrue(epoch.testNegElbo() > 80 && epoch.testNegElbo() < 200, "test -ELBO after one epoch: " + epoch.testNegElbo());

        EvaluationRun.Result spark = EvaluationRun.run(new EvaluationRun.Spec(model, () -> files, 1000, 0, false, 5, 500, false,
                LOCAL2, null, false));
        EvaluationRun.Result oneJvm = EvaluationRun.run(new EvaluationRun.Spec(model, () -> files, 1000, 0, false, null, null, false,
                null, null, false));
        assertEquals(10_000, spark.n());
        assertEquals(oneJvm.testNegElbo(), spark.testNegElbo(), 1e-6 * oneJvm.testNegElbo(), "z = mu: the reader does not matter");
        assertEquals(oneJvm.testImagesMd5(), spark.testImagesMd5());
        assertEquals(500L, spark.iwaeN(), "IWAE on the head of the test set");
        assertTrue(spark.testNllIwae() <= spark.testNegElbo() + 5, "IWAE " + spark.testNllIwae() + " vs ELBO " + spark.testNegElbo());

        ProjectionJob.Summary projected = ProjectionJob.run(new ProjectionJob.Spec(model, () -> files, 0, dir.resolve("proj").toString(),
                false, false, LOCAL2));
        assertEquals(10_000, projected.n());

        PpcaRun.Result ppca = PpcaRun.run(new PpcaRun.Spec(10, () -> files, LOCAL2, null, false));
        assertEquals(10_000, ppca.n());
        assertEquals(KnownDataset.MNIST.entries().get(0).md5(), ppca.trainImagesMd5());

        String html = RunReportBuilder.build(new RunReportBuilder.Spec(model, () -> files, dir.resolve("report").toString(), false, 0,
                false, LOCAL2, null));
        assertTrue(Files.size(Path.of(html)) > 10_000, html);

        List<TaskSizes.Task> tasks = TaskSizes.parse(scheduler.stream());
        assertTrue(tasks.size() > 20, "tasks seen: " + tasks.size());
        TaskSizes.Task largest = tasks.stream().max(java.util.Comparator.comparingLong(TaskSizes.Task::bytes)).orElseThrow();
        System.out.println(getClass().getSimpleName() + ": " + tasks.size() + " tasks, the largest " + largest.bytes() + " bytes");
        assertTrue(largest.bytes() < 1_000_000, "a task that carried data: " + largest);
        assertTrue(scheduler.stream().noneMatch(l -> l.contains("very large size")), "tasks that carried data");
    }
}
