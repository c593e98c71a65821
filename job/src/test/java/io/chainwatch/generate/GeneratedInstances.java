package io.chainwatch.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.RawRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For the scenario tests: generates one scenario on two clusters, parses every line with the product's parser
 * (a dead letter fails the test) and returns the labelled instances with their evidence as the parser sees it.
 */
final class GeneratedInstances {
    private GeneratedInstances() {}

    /** One labelled instance: its evidence in label order, and every event of its cluster. */
    static final class Instance {
        final String cluster;
        final List<AuditEvent> evidence = new ArrayList<>();
        /** The cluster's events in file order, each auditID once. */
        final List<AuditEvent> all;
        final Map<String, AuditEvent> byId;

        Instance(String cluster, Map<String, AuditEvent> byId) {
            this.cluster = cluster;
            this.byId = byId;
            this.all = List.copyOf(byId.values());
        }

        AuditEvent get(int i) {
            return evidence.get(i);
        }
    }

    /**
     * Generates {@code scenario} alone ({@code events} events, two clusters) and checks what every scenario
     * must give: one label per cluster, of the scenario's pattern, whose evidence events exist and are in time
     * order.
     */
    static List<Instance> generate(Path out, String scenario, OutputFormat format, long events, long seed) throws IOException {
        Generator.Config c = new Generator.Config();
        c.out = out;
        c.events = events;
        c.clusters = 2;
        c.seed = seed;
        c.format = format;
        c.scenarios = Scenarios.select(scenario);
        Generator.Result r = new Generator().run(c, new AtomicLong());
        Map<String, Map<String, AuditEvent>> byCluster = new HashMap<>();
        for (String cluster : r.clusters) {
            byCluster.put(cluster, parse(out, cluster));
        }
        JsonNode labels = GeneratorTest.labels(out);
        assertThat(labels).as("one instance of " + scenario + " per cluster").hasSize(2);
        String pattern = Scenarios.select(scenario).get(0).patternId();
        List<Instance> instances = new ArrayList<>();
        for (JsonNode label : labels) {
            assertThat(label.get("scenario").asText()).isEqualTo(scenario);
            assertThat(label.get("pattern").asText()).isEqualTo(pattern);
            String cluster = label.get("cluster").asText();
            Instance in = new Instance(cluster, byCluster.get(cluster));
            for (JsonNode id : label.get("auditIDs")) {
                AuditEvent e = in.byId.get(id.asText());
                assertThat(e).as(scenario + " evidence " + id + " in " + cluster).isNotNull();
                if (!in.evidence.isEmpty()) {
                    assertThat(e.eventTimeMicros).isGreaterThanOrEqualTo(in.evidence.get(in.evidence.size() - 1).eventTimeMicros);
                }
                in.evidence.add(e);
            }
            instances.add(in);
        }
        assertThat(instances).extracting(i -> i.cluster).containsExactlyInAnyOrderElementsOf(r.clusters);
        return instances;
    }

    /** Every kept event of a cluster's files by auditID, in file order. */
    static Map<String, AuditEvent> parse(Path out, String cluster) throws IOException {
        return parse(out, cluster, category -> { });
    }

    /** As {@link #parse(Path, String)}, handing every skipped record's category to {@code skipped}. */
    static Map<String, AuditEvent> parse(Path out, String cluster, java.util.function.Consumer<String> skipped) throws IOException {
        AuditEventParser parser = new AuditEventParser(cluster, 4096);
        Map<String, AuditEvent> events = new LinkedHashMap<>();
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
                    skipped.accept(category);
                }
            });
        }
        return events;
    }
}
