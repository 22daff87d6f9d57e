package org.sparkvae.it;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.sparkvae.spark.TestSpark;

/** The task-size check the integration tests rely on sees a task that carries its data, and sizes a small one. */
class TaskSizesTest {
    @Test
    void aTaskCarryingADataChunkIsMeasuredOverTheLimit() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (SparkSession spark = TestSpark.local("task-sizes", 1);
             AutoCloseable ignored = TaskSizes.capture(lines)) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            // The pattern #13 removed: the driver's bytes parallelized into the task (here 1.5 MB in one partition).
            assertEquals(1L, sc.parallelize(List.of(new byte[1_500_000]), 1).count());
            assertEquals(4L, sc.parallelize(List.of(1, 2, 3, 4), 2).count());
        }
        List<TaskSizes.Task> tasks = TaskSizes.parse(lines.stream());
        assertEquals(3, tasks.size(), String.join("\n", lines));
        assertTrue(tasks.get(0).bytes() > 1_500_000, tasks.toString());
        assertTrue(tasks.get(1).bytes() < 20_000 && tasks.get(2).bytes() < 20_000, tasks.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("very large size")), "Spark's own warning for the first: " + lines);
    }

    @Test
    void logLinesOfSpark35AreParsed() {
        List<TaskSizes.Task> tasks = TaskSizes.parse(java.util.stream.Stream.of(
                "Starting task 3.0 in stage 2.0 (TID 7) (127.0.0.1, executor 0, partition 3, PROCESS_LOCAL, 8123 bytes) ",
                "Finished task 3.0 in stage 2.0 (TID 7) in 120 ms on 127.0.0.1 (executor 0) (1/4)",
                "Starting task 0.1 in stage 5.1 (TID 12) (host-a, executor 1, partition 0, NODE_LOCAL, 1048576 bytes)"));
        assertEquals(List.of(new TaskSizes.Task("2.0", 7, 8123), new TaskSizes.Task("5.1", 12, 1_048_576)), tasks);
    }

    @Test
    void theLogConfigurationReplacesTheBasesTaskSetManagerEntry() {
        String base = "rootLogger.level = warn\nlogger.tsm.name = org.apache.spark.scheduler.TaskSetManager\n"
                + "logger.tsm.level = warn\nlogger.other.name = org.sparkvae\nlogger.other.level = info\n";
        String config = TaskSizes.logConfig(base, java.nio.file.Path.of("/tmp/t.log"));
        assertTrue(!config.contains("logger.tsm.") && config.contains("logger.other.level = info")
                && config.contains("logger.tasksizes.level = info"), config);
    }
}
