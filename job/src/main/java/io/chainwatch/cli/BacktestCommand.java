package io.chainwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainwatch.alert.Alert;
import io.chainwatch.backtest.BacktestJob;
import io.chainwatch.backtest.BacktestReport;
import io.chainwatch.backtest.HistoryColumns;
import io.chainwatch.backtest.HistoryPartitions;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoadException;
import io.chainwatch.pipeline.JobSummary;
import io.chainwatch.pipeline.JsonLinesSink;
import io.chainwatch.pipeline.PipelineOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code chainwatch backtest}: patterns over the Parquet history, in Flink BATCH mode. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Run patterns over the Parquet history (only the partitions in range, only the columns the patterns"
                + " read) with the live job's operators in BATCH mode; write alerts, summary.json and, with --baseline"
                + " or --labels, diff.json and quality.json.")
public final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--history", required = true, paramLabel = "DIR", description = "History directory (dt=/hour= partitions).")
    Path history;

    @Option(names = "--patterns", paramLabel = "DIR", description = "Patterns to test (default: the shipped cep-patterns/).")
    Path patterns;

    @Option(names = "--baseline", paramLabel = "DIR", description = "Previous version of the patterns, to diff against.")
    Path baseline;

    @Option(names = "--from", paramLabel = "DATE", description = "First day (YYYY-MM-DD, inclusive).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last day (YYYY-MM-DD, inclusive).")
    LocalDate to;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels.json of attack instances (chainwatch generate) for precision/recall.")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--dry-run", description = "Print what would be read and exit.")
    boolean dryRun;

    @Option(names = "--parallelism", defaultValue = "0", description = "Job parallelism (0 = Flink default).")
    int parallelism;

    @Option(names = "--max-alert-increase", paramLabel = "PERCENT",
            description = "With --baseline: exit 3 when any pattern raises more than PERCENT %% more alerts than its baseline"
                    + " (for nightly backtests in a scheduler).")
    Double maxAlertIncrease;

    @Spec
    CommandSpec spec;

    private static void writeLines(Path file, List<Alert> alerts) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (Alert a : alerts) {
            sb.append(JsonSupport.write(a)).append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PatternDefinition> defs;
        List<PatternDefinition> base = List.of();
        try {
            defs = DetectCommand.loadPatterns(patterns, List.of(), err);
            if (baseline != null) {
                base = DetectCommand.loadPatterns(baseline, List.of(), err);
            }
        } catch (PatternLoadException e) {
            err.println(e.getMessage());
            return 2;
        }
        List<PatternDefinition> all = new ArrayList<>(defs);
        base.forEach(b -> all.add(b.withId(BacktestJob.BASELINE_PREFIX + b.id)));
        HistoryPartitions parts = HistoryPartitions.select(history, from, to);
        o.printf("history %s: %d partition(s), %d file(s), %,d bytes%n", history, parts.partitions.size(), parts.files.size(), parts.bytes);
        if (dryRun && !parts.files.isEmpty()) {
            o.printf("rows in range: %,d%n", io.chainwatch.backtest.BacktestProgress.rows(parts.files));
        }
        o.printf("columns read: %s%n", String.join(", ", HistoryColumns.needed(all)));
        if (dryRun) {
            parts.partitions.forEach(p -> o.println("  " + p));
            o.flush();
            return 0;
        }
        if (parts.files.isEmpty()) {
            err.println("chainwatch: no history files in range");
            return 1;
        }
        Files.createDirectories(out);
        Path alertsFile = out.resolve("alerts.jsonl");
        Path allFile = out.resolve(".all-alerts.jsonl");
        Path deadFile = out.resolve("dead-letters.jsonl");
        for (Path f : List.of(alertsFile, allFile, deadFile, out.resolve("baseline-alerts.jsonl"))) {
            Files.deleteIfExists(f);
        }
        PipelineOptions options = new PipelineOptions();
        options.parallelism = parallelism;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(LocalFlink.configuration());
        long start = System.nanoTime();
        JobExecutionResult result;
        if (io.chainwatch.backtest.BacktestProgress.interactive()) {
            long rows = io.chainwatch.backtest.BacktestProgress.rows(parts.files);
            org.apache.flink.core.execution.JobClient client = BacktestJob.start(env, parts.files, all, options,
                    JsonLinesSink.toFile(allFile), JsonLinesSink.toFile(deadFile));
            result = io.chainwatch.backtest.BacktestProgress.follow(client, client.getJobExecutionResult(), rows);
        } else {
            result = BacktestJob.run(env, parts.files, all, options, JsonLinesSink.toFile(allFile), JsonLinesSink.toFile(deadFile));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        JobSummary summary = new JobSummary(result, Duration.ofNanos(System.nanoTime() - start));
        // One job ran both versions; the baseline's alerts get their own file under their real rule ids.
        List<Alert> alerts = new ArrayList<>();
        List<Alert> before = new ArrayList<>();
        for (Alert a : Files.exists(allFile) ? DemoCommand.readAlerts(allFile) : List.<Alert>of()) {
            if (a.ruleId.startsWith(BacktestJob.BASELINE_PREFIX)) {
                a.ruleId = a.ruleId.substring(BacktestJob.BASELINE_PREFIX.length());
                before.add(a);
            } else {
                alerts.add(a);
            }
        }
        Files.deleteIfExists(allFile);
        writeLines(alertsFile, alerts);
        io.chainwatch.backtest.AlertParquet.write(out.resolve("alerts.parquet"), alerts);
        if (baseline != null) {
            writeLines(out.resolve("baseline-alerts.jsonl"), before);
        }
        if (!Files.exists(deadFile)) {
            Files.createFile(deadFile);
        }
        List<String> ids = defs.stream().map(d -> d.id).collect(Collectors.toList());
        long events = summary.get("backtest.events");
        Files.writeString(out.resolve("summary.json"), JsonSupport.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(BacktestReport.summary(alerts, ids, events, parts.files.size(), parts.partitions, seconds)));
        if (baseline != null) {
            Files.writeString(out.resolve("diff.json"), JsonSupport.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(BacktestReport.diff(alerts, before, ids)));
        }
        if (labels != null) {
            JsonNode l = JsonSupport.mapper().readTree(labels.toFile());
            Files.writeString(out.resolve("quality.json"), JsonSupport.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(BacktestReport.quality(alerts, l, ids)));
        }
        JsonNode summaryJson = JsonSupport.mapper().readTree(out.resolve("summary.json").toFile());
        JsonNode diffJson = baseline != null ? JsonSupport.mapper().readTree(out.resolve("diff.json").toFile()) : null;
        JsonNode qualityJson = labels != null ? JsonSupport.mapper().readTree(out.resolve("quality.json").toFile()) : null;
        Files.writeString(out.resolve("report.html"), io.chainwatch.backtest.BacktestHtmlReport.render(summaryJson, diffJson, qualityJson));
        int code = 0;
        if (maxAlertIncrease != null) {
            if (baseline == null) {
                err.println("chainwatch: --max-alert-increase needs --baseline");
                return 2;
            }
            for (String id : ids) {
                long now = alerts.stream().filter(a -> a.ruleId.equals(id)).count();
                long was = before.stream().filter(a -> a.ruleId.equals(id)).count();
                if (now > was && now > was * (1 + maxAlertIncrease / 100.0)) {
                    err.printf("chainwatch: %s raised %d alert(s) against %d in the baseline (more than +%.0f%%)%n",
                            id, now, was, maxAlertIncrease);
                    code = 3;
                }
            }
        }
        o.printf("%,d events scanned in %.1f s (%,.0f events/s); %d alert(s)%n", events, seconds,
                events / Math.max(seconds, 0.001), alerts.size());
        o.printf("outputs in %s: report.html, alerts.jsonl, alerts.parquet, summary.json%s%s%n", out,
                baseline != null ? ", baseline-alerts.jsonl, diff.json" : "", labels != null ? ", quality.json" : "");
        if (code != 0) {
            o.flush();
            return code;
        }
        o.flush();
        return 0;
    }
}
