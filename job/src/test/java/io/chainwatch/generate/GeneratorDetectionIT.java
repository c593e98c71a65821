package io.chainwatch.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainwatch.alert.Alert;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pipeline.DetectJob;
import io.chainwatch.pipeline.JsonLinesSink;
import io.chainwatch.pipeline.PipelineOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated traffic through the real detection job: every labelled attack instance must raise an alert of its
 * pattern whose evidence is exactly the labelled auditIDs, in order; the scenario patterns must stay quiet on
 * the background (apart from the legitimate admin work that has the same shape).
 */
class GeneratorDetectionIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(config())
            .build());

    static Configuration config() {
        Configuration c = new Configuration();
        c.setString("pipeline.generic-types", "false");
        return c;
    }

    static final Path ROOT = Paths.get(System.getProperty("chainwatch.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void everyLabelledAttackRaisesItsPatternWithTheLabelledEvidence() throws Exception {
        Generator.Config c = new Generator.Config();
        c.out = tmp.resolve("gen");
        c.events = 20_000;
        c.seed = 11;
        Generator.Result generated = new Generator().run(c, new AtomicLong());
        JsonNode labels = new ObjectMapper().readTree(c.out.resolve("labels.json").toFile());
        assertThat(labels).hasSize(Scenarios.ALL.size());
        String cluster = generated.clusters.get(0);

        List<PatternDefinition> pack = PatternLoader.load(ROOT.resolve("cep-patterns")).orThrow();
        PipelineOptions options = new PipelineOptions();
        options.defaultCluster = cluster;
        Path alertsFile = tmp.resolve("alerts.jsonl");
        Path deadFile = tmp.resolve("dead.jsonl");
        new DetectJob(List.of(c.out.resolve(cluster).toString()), pack, options)
                .alertsTo(JsonLinesSink.toFile(alertsFile))
                .deadLettersTo(JsonLinesSink.toFile(deadFile))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment(), "generated");
        assertThat(!Files.exists(deadFile) || Files.readString(deadFile).isEmpty()).as("no dead letters").isTrue();
        List<Alert> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(alertsFile, StandardCharsets.UTF_8)) {
            alerts.add(JsonSupport.mapper().readValue(line, Alert.class));
        }

        Set<String> attackIds = new HashSet<>();
        Set<String> attackerIPs = new HashSet<>();
        for (JsonNode label : labels) {
            List<String> ids = new ArrayList<>();
            label.get("auditIDs").forEach(id -> ids.add(id.asText()));
            attackIds.addAll(ids);
            label.get("events").forEach(id -> attackIds.add(id.asText()));
            attackerIPs.add(label.get("attackerIP").asText());
            String pattern = label.get("pattern").asText();
            assertThat(alerts).as("alert of %s for %s", pattern, ids)
                    .anySatisfy(a -> {
                        assertThat(a.ruleId).isEqualTo(pattern);
                        assertThat(a.cluster).isEqualTo(label.get("cluster").asText());
                        assertThat(a.evidence.stream().map(e -> e.auditID).collect(Collectors.toList())).isEqualTo(ids);
                    });
        }
        Set<String> scenarioPatterns = Scenarios.ALL.stream().map(Scenario::patternId).collect(Collectors.toSet());
        // Background: alerts with no event of any instance and no request from an attacker address among their
        // evidence (one instance's requests can also complete another pattern, e.g. a CSR approval is a
        // high-impact change); every attacker address is in the documentation ranges.
        assertThat(attackerIPs).allMatch(GeneratorDetectionIT::fromAttacker);
        List<Alert> background = alerts.stream()
                .filter(a -> a.evidence.stream().noneMatch(e -> attackIds.contains(e.auditID) || attackerIPs.contains(e.sourceIP)))
                .collect(Collectors.toList());
        for (Alert a : background) {
            System.out.println("background alert: " + a.ruleId + " " + a.key + " " + a.summary);
        }
        // the scenario patterns fire on the background only for the rare admin work (kubectl debug node)
        assertThat(background).filteredOn(a -> scenarioPatterns.contains(a.ruleId))
                .allSatisfy(a -> assertThat(a.key.get("pod")).startsWith("node-debugger-"));
    }

    /** The generator's attacker addresses (ScenarioContext.attackerIP): documentation ranges only. */
    static boolean fromAttacker(String ip) {
        return ip != null && (ip.startsWith("203.0.113.") || ip.startsWith("192.0.2.") || ip.startsWith("2001:db8:"));
    }
}
