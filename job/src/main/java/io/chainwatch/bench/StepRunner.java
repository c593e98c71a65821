package io.chainwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.chainwatch.ingest.JsonSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one benchmark step as a chainwatch command in a JVM of its own, so that each step's peak heap and
 * resident memory are its own and no step inherits another's JIT state or garbage. The child is the same jar
 * (or classpath) with the same module flags as the launcher, and reports itself through {@link RunReport}.
 */
public final class StepRunner {

    /** What Flink on Java 17 needs opened (the launcher and flink-dist set the same). */
    static final List<String> MODULE_FLAGS = List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED");

    private final Path logs;
    private final String heap;
    private final Path home;

    public StepRunner(Path logs, String heap, Path home) {
        this.logs = logs;
        this.heap = heap;
        this.home = home;
    }

    /** The outcome of one child run. */
    public static final class Outcome {
        public final String name;
        public final int exitCode;
        public final JsonNode report;
        public final Path log;

        Outcome(String name, int exitCode, JsonNode report, Path log) {
            this.name = name;
            this.exitCode = exitCode;
            this.report = report;
            this.log = log;
        }

        public long peakHeapBytes() {
            return report.path("peakHeapUsedBytes").asLong(-1);
        }

        public long peakRssBytes() {
            return report.path("peakRssBytes").asLong(-1);
        }

        public double wallSeconds() {
            return report.path("wallMillis").asLong(0) / 1000.0;
        }
    }

    public Outcome run(String name, List<String> cliArgs, Map<String, String> env) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        Path reportFile = logs.resolve(name + ".report.json");
        Files.deleteIfExists(reportFile);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(MODULE_FLAGS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.chainwatch.cli.ChainwatchCli");
        cmd.addAll(cliArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put(RunReport.ENV_FILE, reportFile.toString());
        pb.environment().put("CHAINWATCH_HOME", home.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        int code = p.waitFor();
        JsonNode report = Files.exists(reportFile) ? JsonSupport.mapper().readTree(reportFile.toFile())
                : JsonNodeFactory.instance.objectNode();
        if (code != 0) {
            throw new IOException("benchmark step '" + name + "' failed with exit code " + code + "; its output: " + log
                    + System.lineSeparator() + tail(log, 15));
        }
        return new Outcome(name, code, report, log);
    }

    static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
