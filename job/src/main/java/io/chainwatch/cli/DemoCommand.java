package io.chainwatch.cli;

import com.fasterxml.jackson.databind.ObjectReader;
import io.chainwatch.alert.Alert;
import io.chainwatch.alert.AlertEvidence;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoadException;
import io.chainwatch.pipeline.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chainwatch demo}: {@code detect} over the shipped sample log, alerts printed for a human. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run detect over the shipped sample (data/sample/) and print the alerts readably.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: data/demo-output/, replaced).")
    Path outDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home = ProjectPaths.home();
        Path sample = home.resolve("data/sample");
        if (!Files.isDirectory(sample)) {
            err.println("chainwatch: no sample data at " + sample + " (set CHAINWATCH_HOME to the project directory)");
            return 1;
        }
        Path dir = outDir != null ? outDir : home.resolve("data/demo-output");
        io.chainwatch.FileTrees.deleteTree(dir);
        Files.createDirectories(dir);
        List<PatternDefinition> defs;
        try {
            defs = DetectCommand.loadPatterns(null, List.of(), err);
        } catch (PatternLoadException e) {
            err.println(e.getMessage());
            return 2;
        }
        Path alerts = dir.resolve("alerts.jsonl");
        Path history = dir.resolve("history");
        out.printf("chainwatch demo: %d patterns over %s%n%n", defs.size(), sample);
        out.flush();
        DetectCommand.Result r = DetectCommand.run(List.of(sample.toString()), alerts, history,
                dir.resolve("dead-letters.jsonl"), defs, new PipelineOptions(), false);
        List<Alert> list = readAlerts(alerts);
        // What an analyst looks at first: medium and above in full; the low and info activity (Falco's
        // "K8s X Created" family, secret reads) counted per rule, all of it in the alerts file.
        List<Alert> important = new ArrayList<>();
        java.util.Map<String, Integer> minor = new java.util.TreeMap<>();
        for (Alert a : list) {
            if (io.chainwatch.pattern.Severity.valueOf(a.severity.toUpperCase(java.util.Locale.ROOT))
                    .compareTo(io.chainwatch.pattern.Severity.MEDIUM) >= 0) {
                important.add(a);
            } else {
                minor.merge(a.ruleId + " (" + a.severity + ")", 1, Integer::sum);
            }
        }
        out.printf("%d alert(s) of severity medium or above:%n%n", important.size());
        for (Alert a : important) {
            out.print(render(a));
        }
        out.printf("and %d low/info alert(s):%n", list.size() - important.size());
        minor.forEach((rule, n) -> out.printf("  %-50s %d%n", rule, n));
        out.println();
        out.println("summary:");
        out.print(r.summary.render().replaceAll("(?m)^", "  "));
        out.printf("%nalerts (JSON lines): %s%n", alerts);
        out.printf("dead letters:        %s%n", r.deadLetterFile);
        out.printf("Parquet history:     %s (partitions dt=YYYY-MM-DD/hour=HH)%n", history);
        out.printf("  try: duckdb -c \"select verb, resource, count(*) from read_parquet('%s/**/*.parquet', hive_partitioning=true) group by all order by 3 desc\"%n", history);
        out.flush();
        return 0;
    }

    static List<Alert> readAlerts(Path file) throws java.io.IOException {
        ObjectReader reader = JsonSupport.mapper().readerFor(Alert.class);
        List<Alert> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(reader.readValue(line));
            }
        }
        out.sort(Comparator.comparing((Alert a) -> a.firstSeen).thenComparing(a -> a.ruleId));
        return out;
    }

    static String render(Alert a) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("[%s] %s  (%s)%n", a.severity.toUpperCase(), a.title, a.ruleId));
        sb.append(String.format("  %s%n", a.summary));
        sb.append(String.format("  cluster %s, key %s, %s → %s%n", a.cluster, a.key, a.firstSeen, a.lastSeen));
        sb.append(String.format("  MITRE %s %s%n", a.mitre.tactics, a.mitre.techniques));
        int i = 1;
        for (AlertEvidence e : a.evidence) {
            String res = e.resource == null ? "" : e.resource + (e.subresource == null ? "" : "/" + e.subresource);
            String obj = (e.namespace == null ? "" : e.namespace + "/") + (e.name == null ? "" : e.name);
            sb.append(String.format("    %d. %-14s %s  %s %s %s  by %s from %s  -> %s%n", i++, e.step, e.time, e.verb, res, obj,
                    e.user, e.sourceIP, e.responseCode));
        }
        sb.append(String.format("%n"));
        return sb.toString();
    }
}
