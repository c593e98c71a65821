package io.chainwatch.content;

import io.chainwatch.alert.Alert;
import io.chainwatch.generate.Generator;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pattern.Severity;
import io.chainwatch.pipeline.DetectJob;
import io.chainwatch.pipeline.DetectionPipelineIT;
import io.chainwatch.pipeline.JobSummary;
import io.chainwatch.pipeline.JsonLinesSink;
import io.chainwatch.pipeline.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped pack against real and realistic traffic, as the detection-content issue asks:
 * <ul>
 *   <li>each of Falco's k8s_audit trace files fires the patterns whose {@code equivalents.falco} names the
 *   rules its MANIFEST expects, and no other pattern of severity medium or above;</li>
 *   <li>a normal week of generated traffic (controllers, kubelets, CI with Helm, GitOps, people with
 *   kubectl, break-glass and {@code kubectl debug node}) and audit2rbac's real log raise nothing of
 *   severity medium or above.</li>
 * </ul>
 * The corpus is read from {@code ../shared/corpus} (never copied into the project).
 */
class PackAcceptanceIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Path ROOT = DetectionPipelineIT.ROOT;
    static final Path CORPUS = ROOT.resolve("../shared/corpus").normalize();

    static List<PatternDefinition> pack;
    static Map<String, PatternDefinition> byId;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        pack = PatternLoader.load(ROOT.resolve("cep-patterns")).orThrow();
        byId = pack.stream().collect(Collectors.toMap(p -> p.id, p -> p));
    }

    static boolean mediumOrAbove(Alert a) {
        return Severity.valueOf(a.severity.toUpperCase()).compareTo(Severity.MEDIUM) >= 0;
    }

    List<Alert> detect(List<String> inputs, Path out, boolean clusterFromPath) throws Exception {
        PipelineOptions options = new PipelineOptions();
        options.clusterFromPath = clusterFromPath;
        Files.createDirectories(out);
        DetectJob job = new DetectJob(inputs, pack, options)
                .alertsTo(JsonLinesSink.toFile(out.resolve("alerts.jsonl")))
                .deadLettersTo(JsonLinesSink.toFile(out.resolve("dead.jsonl")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSummary summary = new JobSummary(job.execute(env, "acceptance"), Duration.ZERO);
        assertThat(summary.get("records.read")).isPositive();
        Path alerts = out.resolve("alerts.jsonl");
        return Files.exists(alerts) ? DetectionPipelineIT.readAlerts(alerts) : List.of();
    }

    /** file → the Falco rules its MANIFEST expects ("-" = none), from the manifest's per-file table. */
    static Map<String, Set<String>> manifestExpectations(Path manifest) throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([^`]+\\.json)` \\|.*\\| ([^|]+) \\|\\s*$");
        for (String line : Files.readAllLines(manifest)) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                String rules = m.group(2).trim();
                Set<String> set = new TreeSet<>();
                if (!rules.equals("-") && !rules.startsWith("(") && !rules.startsWith("REJECTED")) {
                    for (String r : rules.split(";")) {
                        set.add(r.trim());
                    }
                }
                out.put(m.group(1), set);
            }
        }
        return out;
    }

    @Test
    void falcoTraceFilesFireExactlyWhatTheirManifestExpects() throws Exception {
        Path dir = CORPUS.resolve("falco-trace-files-k8s_audit");
        assertThat(dir).as("the shared corpus (../shared/corpus)").isDirectory();
        Map<String, Set<String>> expected = manifestExpectations(dir.resolve("MANIFEST.md"));
        assertThat(expected).as("rows parsed from the MANIFEST").hasSizeGreaterThan(40);
        // one cluster per file, so that sequences never join events of different files
        List<String> inputs = new ArrayList<>();
        for (String file : expected.keySet()) {
            Path d = tmp.resolve("in").resolve(file.replace(".json", ""));
            Files.createDirectories(d);
            Files.copy(dir.resolve(file), d.resolve(file));
            inputs.add(d.toString());
        }
        List<Alert> alerts = detect(inputs, tmp.resolve("out"), true);

        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            String cluster = e.getKey().replace(".json", "");
            List<Alert> mine = alerts.stream().filter(a -> a.cluster.equals(cluster)).collect(Collectors.toList());
            Set<String> covered = new TreeSet<>();
            for (Alert a : mine) {
                List<String> falco = byId.get(a.ruleId).equivalents.getOrDefault("falco", List.of());
                covered.addAll(falco);
                if (mediumOrAbove(a) && falco.stream().noneMatch(e.getValue()::contains)) {
                    problems.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add("unexpected " + a.severity + " alert " + a.ruleId);
                }
            }
            for (String rule : e.getValue()) {
                if (!covered.contains(rule)) {
                    problems.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add("no pattern fired for Falco's '" + rule + "'");
                }
            }
        }
        assertThat(problems).as("per trace file").isEmpty();
    }

    @Test
    void aNormalWeekAndAudit2rbacRaiseNothingOfMediumOrAbove() throws Exception {
        Generator.Config c = new Generator.Config();
        c.out = tmp.resolve("gen");
        c.duration = Duration.ofDays(7);
        c.scenarios = List.of();
        c.seed = 11;
        c.gzip = true;
        c.start = Instant.parse("2026-10-04T00:00:00Z");
        new Generator().run(c, new AtomicLong());
        List<String> inputs = new ArrayList<>();
        try (var s = Files.list(c.out)) {
            s.filter(Files::isDirectory).forEach(p -> inputs.add(p.toString()));
        }
        inputs.add(CORPUS.resolve("audit2rbac/demo.log").toString());
        List<Alert> alerts = detect(inputs, tmp.resolve("out"), true);
        assertThat(alerts.stream().filter(PackAcceptanceIT::mediumOrAbove)
                .map(a -> a.severity + " " + a.ruleId + " " + a.summary).collect(Collectors.toList()))
                .as("medium+ alerts on benign traffic").isEmpty();
    }
}
