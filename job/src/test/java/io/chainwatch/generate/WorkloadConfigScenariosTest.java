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
 * The workload and configuration scenarios (S19-S27 of the research notes), each generated alone over two
 * clusters: both instances are labelled with their pattern, and their evidence has the shape the pattern joins on.
 */
class WorkloadConfigScenariosTest {

    @TempDir
    Path tmp;

    /** One labelled instance: its evidence (in label order) and every event of its cluster by auditID. */
    static final class Instance {
        final String cluster;
        final List<AuditEvent> evidence = new ArrayList<>();
        final Map<String, AuditEvent> events;
        final List<AuditEvent> all;

        Instance(String cluster, Map<String, AuditEvent> events, List<AuditEvent> all) {
            this.cluster = cluster;
            this.events = events;
            this.all = all;
        }

        AuditEvent get(int i) {
            return evidence.get(i);
        }
    }

    /** Generates {@code scenario} alone on two clusters and returns its two labelled instances. */
    List<Instance> generate(String scenario, int steps, OutputFormat format) throws IOException {
        Generator.Config c = new Generator.Config();
        c.out = tmp.resolve(scenario + "-" + format);
        c.events = 30_000;
        c.clusters = 2;
        c.seed = 7;
        c.format = format;
        c.scenarios = Scenarios.select(scenario);
        Generator.Result r = new Generator().run(c, new AtomicLong());
        Map<String, Map<String, AuditEvent>> byCluster = new HashMap<>();
        Map<String, List<AuditEvent>> ordered = new HashMap<>();
        for (String cluster : r.clusters) {
            Map<String, AuditEvent> events = new HashMap<>();
            List<AuditEvent> list = new ArrayList<>();
            byCluster.put(cluster, events);
            ordered.put(cluster, list);
            AuditEventParser parser = new AuditEventParser(cluster, 4096);
            long pos = 0;
            for (String line : GeneratorTest.clusterLines(c.out, cluster)) {
                parser.parse(RawRecord.of(cluster, ++pos, line.getBytes(StandardCharsets.UTF_8)), new AuditEventParser.Output() {
                    @Override
                    public void event(AuditEvent e) {
                        if (events.putIfAbsent(e.auditID, e) == null) {
                            list.add(e);
                        }
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
        JsonNode labels = GeneratorTest.labels(c.out);
        assertThat(labels).as("both instances of " + scenario + " labelled").hasSize(2);
        String pattern = Scenarios.select(scenario).get(0).patternId();
        assertThat(Path.of(System.getProperty("chainwatch.root", ".."), "cep-patterns", pattern + ".yaml")).exists();
        List<Instance> out = new ArrayList<>();
        for (JsonNode label : labels) {
            assertThat(label.get("scenario").asText()).isEqualTo(scenario);
            assertThat(label.get("pattern").asText()).isEqualTo(pattern);
            String cluster = label.get("cluster").asText();
            Instance in = new Instance(cluster, byCluster.get(cluster), ordered.get(cluster));
            for (JsonNode id : label.get("auditIDs")) {
                AuditEvent e = in.events.get(id.asText());
                assertThat(e).as(scenario + " evidence " + id + " in " + cluster).isNotNull();
                if (!in.evidence.isEmpty()) {
                    assertThat(e.eventTimeMicros).isGreaterThanOrEqualTo(in.evidence.get(in.evidence.size() - 1).eventTimeMicros);
                }
                assertThat(e.responseClass).isIn("2xx", "1xx");
                in.evidence.add(e);
            }
            assertThat(in.evidence).as(scenario + " evidence").hasSize(steps);
            out.add(in);
        }
        assertThat(out).extracting(i -> i.cluster).doesNotHaveDuplicates();
        return out;
    }

    List<Instance> generate(String scenario, int steps) throws IOException {
        return generate(scenario, steps, OutputFormat.NDJSON);
    }

    @Test
    void webhookMutation() throws IOException {
        for (Instance in : generate("webhook-mutation", 2)) {
            AuditEvent hook = in.get(0);
            AuditEvent pod = in.get(1);
            assertThat(hook.resource).isEqualTo("mutatingwebhookconfigurations");
            assertThat(hook.apiGroup).isEqualTo("admissionregistration.k8s.io");
            assertThat(hook.verb).isEqualTo("create");
            assertThat(hook.principal).doesNotStartWith("system:");
            assertThat(hook.requestObject).contains("\"failurePolicy\":\"Ignore\"").contains("\"resources\":[\"pods\"]");
            assertThat(pod.verb).isEqualTo("create");
            assertThat(pod.resource).isEqualTo("pods");
            assertThat(pod.principal).isEqualTo("system:serviceaccount:kube-system:replicaset-controller");
            assertThat(pod.annotations.get("mutation.webhook.admission.k8s.io/round_0_index_0"))
                    .isEqualTo("{\"configuration\":\"" + hook.objectName + "\",\"webhook\":\""
                            + hook.requestObject.replaceAll(".*\"webhooks\":\\[\\{\"name\":\"([^\"]+)\".*", "$1")
                            + "\",\"mutated\":true}");
            assertThat(pod.annotations).containsKey("patch.webhook.admission.k8s.io/round_0_index_0");
            assertThat(pod.requestObject).contains("\"ownerReferences\"");
        }
    }

    @Test
    void webhookMutationIsNotGeneratedForGke() {
        assertThat(Scenarios.select("webhook-mutation").get(0).supports(OutputFormat.GKE)).isFalse();
    }
}
