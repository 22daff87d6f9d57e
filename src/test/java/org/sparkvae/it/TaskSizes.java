package org.sparkvae.it;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The serialized size of every task Spark's scheduler launched. Spark's listener events carry no task size (a
 * {@code SparkListenerTaskStart} has the task's id, host and locality only); the scheduler states the size of
 * every task it sends in one INFO line of {@code TaskSetManager}, "Starting task 3.0 in stage 2.0 (TID 7)
 * (127.0.0.1, executor 0, partition 3, PROCESS_LOCAL, 8123 bytes)", the same figure it compares with its
 * 1,000 KiB "task of very large size" threshold. The tests read those lines: in this JVM through
 * {@link #capture}, from a separate driver JVM through {@link #logConfig}.
 */
public final class TaskSizes {
    private static final String LOGGER = "org.apache.spark.scheduler.TaskSetManager";
    private static final Pattern STARTING =
            Pattern.compile("Starting task (\\S+) in stage (\\S+) \\(TID (\\d+)\\) \\(.*, (\\d+) bytes\\)");

    /** One launched task: its stage attempt, its id, its serialized size in bytes. */
    public record Task(String stage, long tid, long bytes) { }

    private TaskSizes() { }

    /** Every task in the given log lines (other lines are skipped). */
    public static List<Task> parse(Stream<String> lines) {
        List<Task> tasks = new ArrayList<>();
        lines.forEach(l -> {
            Matcher m = STARTING.matcher(l);
            if (m.find()) {
                tasks.add(new Task(m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
            }
        });
        return tasks;
    }

    /**
     * A log4j2 properties configuration: {@code base} (a properties configuration's text) plus TaskSetManager at
     * INFO written to {@code file} only (not to the console), for a driver JVM started with it.
     */
    public static String logConfig(String base, Path file) {
        // A second logger entry of the same name would clash with the base's: drop the base's TaskSetManager entry.
        Set<String> ids = new HashSet<>();
        Matcher named = Pattern.compile("(?m)^\\s*logger\\.([^.\\s]+)\\.name\\s*=\\s*" + Pattern.quote(LOGGER) + "\\s*$").matcher(base);
        while (named.find()) {
            ids.add(named.group(1));
        }
        String kept = base.lines().filter(l -> ids.stream().noneMatch(id -> l.strip().startsWith("logger." + id + ".")))
                .collect(Collectors.joining("\n"));
        return kept + "\n# TaskSizes: every task's serialized size, to " + file.getFileName() + "\n"
                + "appender.tasksizes.type = File\n"
                + "appender.tasksizes.name = tasksizes\n"
                + "appender.tasksizes.fileName = " + file.toAbsolutePath().toString().replace("\\", "\\\\") + "\n"
                + "appender.tasksizes.layout.type = PatternLayout\n"
                + "appender.tasksizes.layout.pattern = %m%n\n"
                + "logger.tasksizes.name = " + LOGGER + "\n"
                + "logger.tasksizes.level = info\n"
                + "logger.tasksizes.additivity = false\n"
                + "logger.tasksizes.appenderRef.tasksizes.ref = tasksizes\n";
    }

    /**
     * Collects this JVM's TaskSetManager messages (INFO and up) into {@code into} until closed, without printing
     * them; the logger's configuration is restored on close.
     */
    public static AutoCloseable capture(List<String> into) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig previous = config.getLoggers().get(LOGGER);
        AbstractAppender appender = new AbstractAppender("task-sizes", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                into.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        LoggerConfig capture = new LoggerConfig(LOGGER, Level.INFO, false);
        capture.addAppender(appender, Level.INFO, null);
        config.removeLogger(LOGGER);
        config.addLogger(LOGGER, capture);
        context.updateLoggers();
        return () -> {
            config.removeLogger(LOGGER);
            if (previous != null) {
                config.addLogger(LOGGER, previous);
            }
            context.updateLoggers();
            appender.stop();
        };
    }
}
