package io.chainwatch.cli;

import io.chainwatch.alert.Alert;
import io.chainwatch.pattern.Durations;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoadException;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pattern.PatternProblem;
import io.chainwatch.pipeline.DetectJob;
import io.chainwatch.pipeline.JobSummary;
import io.chainwatch.pipeline.JsonLinesSink;
import io.chainwatch.pipeline.PipelineOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code chainwatch detect}: a bounded run over audit log files. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Run the patterns over audit log files or directories (audit NDJSON or EventList, AKS, EKS, GKE; "
                + "plain, .gz or .zst), "
                + "write alerts, dead letters and optionally the Parquet history, print a summary and exit.")
public final class DetectCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Audit log files or directories (repeatable).")
    List<String> inputs;

    @Option(names = "--alerts", required = true, paramLabel = "FILE", description = "Alerts output, JSON lines (replaced).")
    Path alerts;

    @Option(names = "--history", paramLabel = "DIR", description = "Write every event to Parquet under DIR (dt=/hour= partitions).")
    Path history;

    @Option(names = "--patterns", paramLabel = "DIR", description = "Pattern file or directory (default: the shipped cep-patterns/).")
    Path patterns;

    @Option(names = "--overrides", paramLabel = "PATH",
            description = "Site override file or directory (lists, exceptions, severities, enabled); repeatable.")
    List<Path> overrides = new java.util.ArrayList<>();

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Dead-letter output, JSON lines (replaced). Default: dead-letters.jsonl next to the alerts file.")
    Path deadLetter;

    @Option(names = "--cluster", defaultValue = "default", description = "Cluster name for events (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--format", defaultValue = "auto",
            description = "Input envelope: auto (detected per line), audit, aks, eks or gke. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--max-event-size", defaultValue = "16MiB", paramLabel = "SIZE",
            description = "Largest accepted event (line); longer ones are dead-lettered as read-error. Units KiB, MiB. Default: ${DEFAULT-VALUE}.")
    String maxEventSize;

    @Option(names = "--cluster-from-path",
            description = "Name events' cluster after each file's directory (logs/<cluster>/...) when the envelope names none.")
    boolean clusterFromPath;

    @Option(names = "--mode", defaultValue = "batch",
            description = "batch (sorts each key by event time; exact for files) or streaming (the live path: watermarks, checkpoints). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--max-out-of-orderness", defaultValue = "5m", paramLabel = "DURATION",
            description = "Streaming: how late an event may arrive and still be evaluated (default: ${DEFAULT-VALUE}).")
    String maxOutOfOrderness;

    @Option(names = "--checkpoint-interval", defaultValue = "10s", paramLabel = "DURATION",
            description = "Streaming: how often to checkpoint (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "0", description = "Job parallelism (0 = Flink default).")
    int parallelism;

    @Option(names = "--stdout", description = "Also print every alert as a JSON line on stdout.")
    boolean stdout;

    @Option(names = "--summary-json", paramLabel = "FILE",
            description = "Also write the summary (counters, elapsed time, rate) as JSON to FILE, for scripts.")
    Path summaryJson;

    @picocli.CommandLine.Mixin
    LimitsOptions limits = new LimitsOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PatternDefinition> defs;
        try {
            defs = loadPatterns(patterns, overrides, limits.limits(), err);
        } catch (PatternLoadException e) {
            err.println(e.getMessage());
            err.println("chainwatch: refusing to start: the pattern set has errors");
            return 2;
        }
        Result r = run(inputs, alerts, history, deadLetter, defs, options(), stdout);
        out.print(r.summary.render());
        if (summaryJson != null) {
            Files.writeString(summaryJson, io.chainwatch.ingest.JsonSupport.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(r.summary.toJson()));
        }
        out.printf("alerts       -> %s%n", alerts.toAbsolutePath());
        out.printf("dead letters -> %s%n", r.deadLetterFile.toAbsolutePath());
        if (history != null) {
            out.printf("history      -> %s%n", history.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    PipelineOptions options() {
        PipelineOptions o = new PipelineOptions();
        o.defaultCluster = cluster;
        o.format = format.equalsIgnoreCase("auto") ? null : io.chainwatch.ingest.SourceFormat.of(format);
        o.clusterFromPath = clusterFromPath;
        o.maxLineBytes = bytes(maxEventSize);
        o.maxOutOfOrderness = Durations.parse(maxOutOfOrderness);
        o.parallelism = parallelism;
        o.checkpointInterval = Durations.parse(checkpointInterval);
        o.limits = limits.limits();
        switch (mode.toLowerCase()) {
            case "batch": o.runtimeMode = RuntimeExecutionMode.BATCH; break;
            case "streaming": o.runtimeMode = RuntimeExecutionMode.STREAMING; break;
            default: throw new IllegalArgumentException("--mode must be batch or streaming, not '" + mode + "'");
        }
        return o;
    }

    /** Parses 512KiB, 16MiB or a plain byte count. */
    static int bytes(String text) {
        String t = text.trim();
        long factor = 1;
        if (t.endsWith("MiB")) {
            factor = 1024L * 1024;
            t = t.substring(0, t.length() - 3);
        } else if (t.endsWith("KiB")) {
            factor = 1024;
            t = t.substring(0, t.length() - 3);
        }
        long value = Long.parseLong(t.trim()) * factor;
        if (value < 1024 || value > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("--max-event-size must be between 1KiB and 1024MiB");
        }
        return (int) value;
    }

    static List<PatternDefinition> loadPatterns(Path dir, List<Path> overrides, PrintWriter err)
            throws IOException, PatternLoadException {
        return loadPatterns(dir, overrides, io.chainwatch.pattern.Limits.DEFAULT, err);
    }

    static List<PatternDefinition> loadPatterns(Path dir, List<Path> overrides, io.chainwatch.pattern.Limits limits,
                                                PrintWriter err) throws IOException, PatternLoadException {
        Path p = dir != null ? dir : ProjectPaths.patterns();
        PatternLoader.Result result = PatternLoader.load(p, overrides, limits);
        for (PatternProblem w : result.problems) {
            if (!w.isError()) {
                err.println(w);
            }
        }
        return result.orThrow();
    }

    static final class Result {
        final JobSummary summary;
        final Path deadLetterFile;

        Result(JobSummary summary, Path deadLetterFile) {
            this.summary = summary;
            this.deadLetterFile = deadLetterFile;
        }
    }

    /** Runs a bounded detection on the embedded (or the submitting client's) Flink environment. */
    static Result run(List<String> inputs, Path alerts, Path history, Path deadLetter, List<PatternDefinition> defs,
                      PipelineOptions options, boolean stdout) throws Exception {
        for (String in : inputs) {
            if (!Files.exists(Path.of(in))) {
                throw new IllegalArgumentException("input not found: " + in);
            }
        }
        Path dl = deadLetter != null ? deadLetter
                : alerts.toAbsolutePath().getParent().resolve("dead-letters.jsonl");
        Files.deleteIfExists(alerts);
        Files.deleteIfExists(dl);
        DetectJob job = new DetectJob(inputs.stream().map(s -> Path.of(s).toAbsolutePath().toString()).collect(Collectors.toList()),
                defs, options)
                .alertsTo(JsonLinesSink.<Alert>toFile(alerts))
                .deadLettersTo(JsonLinesSink.toFile(dl));
        if (stdout) {
            job.alertsTo(JsonLinesSink.toStdout());
        }
        if (history != null) {
            job.historyTo(history.toAbsolutePath().toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(LocalFlink.configuration());
        long start = System.nanoTime();
        JobExecutionResult result = job.execute(env, "chainwatch detect");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        // Files are created lazily by the sinks; make sure both exist even when nothing was written.
        if (!Files.exists(alerts)) {
            Files.createFile(alerts);
        }
        if (!Files.exists(dl)) {
            Files.createFile(dl);
        }
        return new Result(new JobSummary(result, elapsed), dl);
    }
}
