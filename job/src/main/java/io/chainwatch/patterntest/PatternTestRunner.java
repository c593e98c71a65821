package io.chainwatch.patterntest;

import io.chainwatch.alert.Alert;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.ingest.RawRecord;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternTestCase;
import io.chainwatch.pipeline.DetectionPipeline;
import io.chainwatch.pipeline.PipelineOptions;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the tests that live inside pattern files. All tests of the pack go through one Flink job on the real
 * pipeline (parser, dedupe, router, CEP), each in a cluster of its own so that their keys never meet, and
 * each test counts only the alerts of the pattern it belongs to.
 */
public final class PatternTestRunner {

    /** The outcome of one test. */
    public static final class Result {
        public final String patternId;
        public final String testName;
        public final String location;
        public final int expectedAlerts;
        public final List<Alert> alerts;
        public final List<DeadLetter> deadLetters;

        Result(String patternId, String testName, String location, int expectedAlerts, List<Alert> alerts,
               List<DeadLetter> deadLetters, List<String> mismatches) {
            this.mismatches = mismatches;
            this.patternId = patternId;
            this.testName = testName;
            this.location = location;
            this.expectedAlerts = expectedAlerts;
            this.alerts = alerts;
            this.deadLetters = deadLetters;
        }

        /** Differences between the first alert and the test's alert checks; empty when they hold. */
        public final List<String> mismatches;

        public boolean passed() {
            return alerts.size() == expectedAlerts && deadLetters.isEmpty() && mismatches.isEmpty();
        }

        /** Expected and actual side by side. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(passed() ? "PASS " : "FAIL ").append(patternId).append(" / ").append(testName)
                    .append("  (").append(location).append(")\n");
            if (!passed()) {
                sb.append("    expected ").append(expectedAlerts).append(" alert(s), got ").append(alerts.size()).append('\n');
                for (Alert a : alerts) {
                    sb.append("      actual: ").append(a.summary).append("  evidence ");
                    a.evidence.forEach(e -> sb.append(e.step).append('=').append(e.auditID, 0, 8).append(' '));
                    sb.append('\n');
                }
                for (String m : mismatches) {
                    sb.append("    ").append(m).append('\n');
                }
                for (DeadLetter d : deadLetters) {
                    sb.append("    test event rejected: ").append(d.reason).append('\n');
                }
            }
            return sb.toString();
        }
    }

    private PatternTestRunner() {}

    /** The auditID the runner gives the event at {@code index} of a test (unless the author set one). */
    static String auditId(PatternTestCase tc, String cluster, int index) {
        com.fasterxml.jackson.databind.JsonNode given = tc.events.get(index).event.get("auditID");
        return given != null ? given.asText() : java.util.UUID.nameUUIDFromBytes((cluster + "/" + index)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<String> check(PatternTestCase tc, String cluster, List<Alert> alerts) {
        List<String> out = new ArrayList<>();
        PatternTestCase.AlertExpectation x = tc.first;
        if (x == null || alerts.isEmpty()) {
            return out;
        }
        Alert a = alerts.get(0);
        if (x.severity != null && !x.severity.equals(a.severity)) {
            out.add("severity: expected " + x.severity + ", got " + a.severity);
        }
        if (x.title != null && !x.title.equals(a.title)) {
            out.add("title: expected '" + x.title + "', got '" + a.title + "'");
        }
        if (x.summaryContains != null && (a.summary == null || !a.summary.contains(x.summaryContains))) {
            out.add("summary: expected to contain '" + x.summaryContains + "', got '" + a.summary + "'");
        }
        if (x.key != null) {
            x.key.forEach((k, v) -> {
                if (a.key == null || !v.equals(a.key.get(k))) {
                    out.add("key." + k + ": expected '" + v + "', got '" + (a.key == null ? null : a.key.get(k)) + "'");
                }
            });
        }
        if (x.evidence != null) {
            List<String> expected = new ArrayList<>();
            x.evidence.forEach(i -> expected.add("#" + i));
            List<String> actual = new ArrayList<>();
            for (io.chainwatch.alert.AlertEvidence e : a.evidence) {
                String label = e.auditID;
                for (int i = 0; i < tc.events.size(); i++) {
                    if (auditId(tc, cluster, i).equals(e.auditID)) {
                        label = "#" + i;
                    }
                }
                actual.add(label);
            }
            if (!expected.equals(actual)) {
                out.add("evidence: expected events " + expected + ", got " + actual);
            }
        }
        return out;
    }

    /**
     * Runs the tests of {@code selected} (all when empty) with the whole {@code pack} loaded, as in production:
     * a test also proves that no other pattern of the pack gets in the way.
     */
    public static List<Result> run(StreamExecutionEnvironment env, List<PatternDefinition> pack, Set<String> selected)
            throws Exception {
        List<RawRecord> records = new ArrayList<>();
        Map<String, String[]> clusters = new LinkedHashMap<>();
        Map<String, PatternTestCase> cases = new HashMap<>();
        for (PatternDefinition def : pack) {
            if (!selected.isEmpty() && !selected.contains(def.id)) {
                continue;
            }
            for (int t = 0; t < def.tests.size(); t++) {
                PatternTestCase tc = def.tests.get(t);
                String cluster = "test/" + def.id + "/" + t;
                clusters.put(cluster, new String[] {def.id, tc.name});
                cases.put(cluster, tc);
                for (int i = 0; i < tc.events.size(); i++) {
                    PatternTestCase.TimedEvent te = tc.events.get(i);
                    String json = JsonSupport.write(TestEvents.complete(te.event, te.at.toNanos() / 1000, cluster + "/" + i));
                    RawRecord r = RawRecord.of(tc.location + " " + tc.name, i + 1, json.getBytes(StandardCharsets.UTF_8));
                    r.cluster = cluster;
                    records.add(r);
                }
            }
        }
        Map<String, List<Alert>> alerts = new HashMap<>();
        Map<String, List<DeadLetter>> dead = new HashMap<>();
        if (!records.isEmpty()) {
            PipelineOptions options = new PipelineOptions();
            options.runtimeMode = RuntimeExecutionMode.BATCH;
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            DataStream<RawRecord> raw = env.fromData(records, TypeInformation.of(RawRecord.class));
            DetectionPipeline.Outputs out = DetectionPipeline.build(raw, pack, options);
            DataStream<String> tagged = out.alerts.map(a -> "A" + JsonSupport.write(a)).returns(Types.STRING)
                    .union(out.deadLetters.map(d -> "D" + JsonSupport.write(d)).returns(Types.STRING));
            try (CloseableIterator<String> it = tagged.executeAndCollect("chainwatch pattern tests")) {
                while (it.hasNext()) {
                    String s = it.next();
                    if (s.charAt(0) == 'A') {
                        Alert a = JsonSupport.mapper().readValue(s.substring(1), Alert.class);
                        alerts.computeIfAbsent(a.cluster, k -> new ArrayList<>()).add(a);
                    } else {
                        DeadLetter d = JsonSupport.mapper().readValue(s.substring(1), DeadLetter.class);
                        records.stream().filter(r -> r.source.equals(d.source)).findFirst()
                                .ifPresent(r -> dead.computeIfAbsent(r.cluster, k -> new ArrayList<>()).add(d));
                    }
                }
            }
        }
        List<Result> results = new ArrayList<>();
        clusters.forEach((cluster, ids) -> {
            List<Alert> own = new ArrayList<>();
            for (Alert a : alerts.getOrDefault(cluster, List.of())) {
                if (a.ruleId.equals(ids[0])) {
                    own.add(a);
                }
            }
            PatternTestCase tc = cases.get(cluster);
            own.sort(java.util.Comparator.comparing((Alert a) -> a.firstSeen).thenComparing(a -> a.occurrences));
            results.add(new Result(ids[0], ids[1], tc.location, tc.expectedAlerts, own, dead.getOrDefault(cluster, List.of()),
                    check(tc, cluster, own)));
        });
        return results;
    }
}
