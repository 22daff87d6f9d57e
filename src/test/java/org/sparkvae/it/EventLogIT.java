package org.sparkvae.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark's conventions on spark-vae's own launcher: {@code evaluate --event-log DIR --conf spark.app.name=...} writes
 * Spark's event log, and Spark's own History Server (started on 127.0.0.1, polling every second) lists the
 * application through its REST API; {@code spark-defaults.conf} in {@code $SPARK_CONF_DIR} is read by an embedded
 * run, and {@code --conf} wins over it.
 */
class EventLogIT {
    private static final String DATA = Path.of("src", "test", "resources", "mnist-slice").toAbsolutePath().toString();
    private static final String MODEL = Path.of("src", "test", "resources", "models", "v0.1.0-mlp-bernoulli-gaussian.zip")
            .toAbsolutePath().toString();

    @TempDir
    Path dir;

    private static String run(Path log, java.util.Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("submit", "spark-vae").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_VAE_NO_BUILD", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void eventLogShowsInSparksHistoryServer() throws Exception {
        Path events = dir.resolve("events"); // created by the job: Spark itself refuses a missing directory
        // A conf directory whose defaults name the application; --conf must win over it for the app name,
        // while the defaults' other setting still applies (recorded in the event log's environment).
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(confDir.resolve("spark-defaults.conf"),
                "spark.app.name from-defaults\nspark.sql.shuffle.partitions 7\nnot.spark.ignored x\n");
        run(dir.resolve("eval.log"), java.util.Map.of("SPARK_CONF_DIR", confDir.toString()), "evaluate", "--data", DATA,
                "--model", MODEL, "--no-progress", "--event-log", events.toString(), "--conf", "spark.app.name=spark-vae-eventlog-it");
        String[] logs = events.toFile().list();
        assertTrue(logs != null && logs.length == 1, "one event log in " + events);
        String eventLog = Files.readString(events.resolve(logs[0]));
        assertTrue(eventLog.contains("\"spark.sql.shuffle.partitions\":\"7\""), "spark-defaults.conf applied");
        assertTrue(eventLog.contains("\"spark.app.name\":\"spark-vae-eventlog-it\""), "--conf wins over spark-defaults.conf");

        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "-Dspark.history.fs.logDirectory=file://" + events, "-Dspark.history.fs.update.interval=1s",
                "-Dspark.history.ui.port=" + port, "-cp", System.getProperty("java.class.path"),
                "org.apache.spark.deploy.history.HistoryServer"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("history.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // the History Server's UI binds there, not to every interface
        Process history = pb.start();
        try {
            String apps = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!apps.contains("spark-vae-eventlog-it") && System.nanoTime() < deadline && history.isAlive()) {
                Thread.sleep(1000);
                apps = get("http://127.0.0.1:" + port + "/api/v1/applications");
            }
            assertTrue(apps.contains("spark-vae-eventlog-it"), "History Server's applications: " + apps
                    + "\n" + Files.readString(dir.resolve("history.log")));
            assertTrue(apps.contains("\"completed\" : true"), apps);
            List<String> listening = ListeningSockets.of(ListeningSockets.tree(history.pid()));
            assertTrue(listening.stream().allMatch(ListeningSockets::isLoopback), "History Server off loopback: " + listening);
        } finally {
            history.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // stopped by its PID
        }
    }
}
