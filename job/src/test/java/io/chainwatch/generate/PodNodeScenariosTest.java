package io.chainwatch.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.RawRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod and node scenarios (S08, S12–S17, S28), each generated alone on two clusters: labels, and the
 * structural facts of the evidence the pattern joins on. Detection itself is GeneratorDetectionIT's job.
 */
class PodNodeScenariosTest {

    @TempDir
    Path tmp;

    /** One labelled instance: its evidence as parsed, in label order, and every kept event of its cluster. */
    record Instance(String cluster, List<AuditEvent> evidence, Map<String, AuditEvent> all) {}

    static List<Instance> generate(Path out, String scenario, OutputFormat format) throws IOException {
        Generator.Config c = new Generator.Config();
        c.out = out;
        c.events = 30_000;
        c.clusters = 2;
        c.format = format;
        c.scenarios = Scenarios.select(scenario);
        Generator.Result r = new Generator().run(c, new AtomicLong());
        Map<String, Map<String, AuditEvent>> kept = new HashMap<>();
        for (String cluster : r.clusters) {
            AuditEventParser parser = new AuditEventParser(cluster, 4096);
            Map<String, AuditEvent> events = new HashMap<>();
            kept.put(cluster, events);
            long pos = 0;
            for (String line : GeneratorTest.clusterLines(out, cluster)) {
                parser.parse(RawRecord.of(cluster, ++pos, line.getBytes(StandardCharsets.UTF_8)), new AuditEventParser.Output() {
                    @Override
                    public void event(AuditEvent e) {
                        events.putIfAbsent(e.auditID, e);
                    }

                    @Override
                    public void deadLetter(DeadLetter d) {
                        throw new AssertionError(d.category + ": " + d.reason + "\n" + d.text);
                    }

                    @Override
                    public void skipped(String category) {
                    }
                });
            }
        }
        JsonNode labels = GeneratorTest.labels(out);
        assertThat(labels).as("one instance per cluster").hasSize(2);
        List<Instance> out2 = new ArrayList<>();
        for (JsonNode label : labels) {
            assertThat(label.get("scenario").asText()).isEqualTo(scenario);
            assertThat(label.get("pattern").asText()).isEqualTo(Scenarios.select(scenario).get(0).patternId());
            String cluster = label.get("cluster").asText();
            List<AuditEvent> evidence = new ArrayList<>();
            for (JsonNode id : label.get("auditIDs")) {
                AuditEvent e = kept.get(cluster).get(id.asText());
                assertThat(e).as(scenario + " " + id + " in " + cluster).isNotNull();
                if (!evidence.isEmpty()) {
                    assertThat(e.eventTimeMicros).isGreaterThan(evidence.get(evidence.size() - 1).eventTimeMicros);
                }
                evidence.add(e);
            }
            out2.add(new Instance(cluster, evidence, kept.get(cluster)));
        }
        assertThat(out2).extracting(Instance::cluster).doesNotHaveDuplicates();
        return out2;
    }

    static List<Instance> generate(Path out, String scenario) throws IOException {
        return generate(out, scenario, OutputFormat.NDJSON);
    }

    @Test
    void execDiscoverySecrets() throws IOException {
        for (Instance i : generate(tmp, "exec-discovery-secrets")) {
            List<AuditEvent> ev = i.evidence();
            assertThat(ev).hasSizeBetween(5, 8);
            AuditEvent exec = ev.get(0);
            assertThat(exec.subresource).isEqualTo("exec");
            assertThat(exec.responseCode).isEqualTo(101);
            assertThat(exec.principal).doesNotStartWith("system:");
            AuditEvent read = ev.get(ev.size() - 1);
            assertThat(read.resource).isEqualTo("secrets");
            assertThat(read.verb).isIn("get", "list");
            assertThat(read.decision).isEqualTo("allow");
            for (AuditEvent e : ev.subList(1, ev.size())) {
                // the exec target's own token, from the pod's address, with a brought tool
                assertThat(e.podName).isEqualTo(exec.name);
                assertThat(e.saNamespace).isEqualTo(exec.namespace);
                assertThat(e.credentialId).startsWith("JTI=");
                assertThat(e.clientIP).startsWith("10.");
                assertThat(e.userAgent).doesNotEndWith("kubernetes/$Format");
            }
            for (AuditEvent d : ev.subList(1, ev.size() - 1)) {
                assertThat(d.resource.endsWith("reviews") || "forbid".equals(d.decision)).as(d.requestURI).isTrue();
            }
            assertThat(read.eventTimeMicros - exec.eventTimeMicros).isLessThan(10 * 60 * Times.SECOND);
        }
    }
}
