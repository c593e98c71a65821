package io.chainwatch.pipeline;

import com.fasterxml.jackson.databind.ObjectReader;
import io.chainwatch.alert.Alert;
import io.chainwatch.cli.ChainwatchCli;
import io.chainwatch.history.EventTimeBucketAssigner;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.ingest.RawRecord;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole job on a real embedded Flink cluster, over the shipped sample and over hostile variations of it. */
public class DetectionPipelineIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(config())
            .build());

    static Configuration config() {
        Configuration c = new Configuration();
        c.setString("pipeline.generic-types", "false"); // fail on any Kryo fallback
        return c;
    }

    public static final Path ROOT = Paths.get(System.getProperty("chainwatch.root", "..")).toAbsolutePath().normalize();
    public static final Path SAMPLE = ROOT.resolve("data/sample/kube-apiserver-audit.log");

    /**
     * The alerts of severity medium or above the sample must raise: rule → the auditIDs of its evidence, in
     * step order. (The pack's info and low activity rules, Falco's "K8s X Created" family and secret reads,
     * fire on the sample's background too; PackAcceptanceIT holds them to the Falco trace files.)
     */
    static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("rbac-backdoor-wildcard-role", List.of("35ab16dd-1ea0-43c9-b78c-fe68ce7ac7cb",
                "b6f076ec-ac0e-490f-871e-887a0657fe37", "fb53a5be-c5a8-4482-ac86-78aba5e9ca14"));
        EXPECTED.put("privileged-container-created", List.of("bf429afc-198d-4f41-b796-04617b6cf00d"));
        // the same two chains seen by the single-event rules and the longer sequences of the pack
        EXPECTED.put("wildcard-role-bound-then-sa-token-minted", List.of("35ab16dd-1ea0-43c9-b78c-fe68ce7ac7cb",
                "fb53a5be-c5a8-4482-ac86-78aba5e9ca14", "87e8cfb4-dd10-4bbd-81dd-7606576d4638"));
        EXPECTED.put("clusterrole-with-wildcard-created", List.of("35ab16dd-1ea0-43c9-b78c-fe68ce7ac7cb"));
        EXPECTED.put("system-role-modified-or-deleted", List.of("35ab16dd-1ea0-43c9-b78c-fe68ce7ac7cb"));
        EXPECTED.put("kube-namespace-service-account-created", List.of("b6f076ec-ac0e-490f-871e-887a0657fe37"));
        EXPECTED.put("host-pid-pod-created", List.of("bf429afc-198d-4f41-b796-04617b6cf00d"));
        EXPECTED.put("sensitive-mount-pod-created", List.of("bf429afc-198d-4f41-b796-04617b6cf00d"));
        EXPECTED.put("privileged-pod-then-exec", List.of("bf429afc-198d-4f41-b796-04617b6cf00d",
                "e138b96a-381f-4808-b6e0-415ee7171bc1"));
    }

    static List<PatternDefinition> pack;
    static List<String> sampleLines;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        pack = PatternLoader.load(ROOT.resolve("cep-patterns")).orThrow();
        sampleLines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8);
    }

    static final com.networknt.schema.JsonSchema ALERT_SCHEMA = com.networknt.schema.JsonSchemaFactory
            .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
            .getSchema(readString(ROOT.resolve("docs/alert.schema.json")),
                    com.networknt.schema.SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads an alerts file; every line must conform to the published alert schema. */
    public static List<Alert> readAlerts(Path file) throws IOException {
        ObjectReader r = JsonSupport.mapper().readerFor(Alert.class);
        List<Alert> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            assertThat(ALERT_SCHEMA.validate(JsonSupport.mapper().readTree(line))).as(line).isEmpty();
            out.add(r.readValue(line));
        }
        return out;
    }

    static List<DeadLetter> readDeadLetters(Path file) throws IOException {
        ObjectReader r = JsonSupport.mapper().readerFor(DeadLetter.class);
        List<DeadLetter> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(r.readValue(line));
        }
        return out;
    }

    static Map<String, List<String>> byRule(List<Alert> alerts) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Alert a : alerts) {
            if (io.chainwatch.pattern.Severity.valueOf(a.severity.toUpperCase()).compareTo(io.chainwatch.pattern.Severity.MEDIUM) < 0) {
                continue;
            }
            assertThat(out).as("one alert per rule in the sample").doesNotContainKey(a.ruleId);
            out.put(a.ruleId, a.evidence.stream().map(e -> e.auditID).collect(Collectors.toList()));
        }
        return out;
    }

    static Set<String> ids(List<Alert> alerts) {
        return alerts.stream().map(a -> a.alertId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Runs a bounded job and returns its summary; alerts, dead letters and history go under {@code out}. */
    JobSummary detect(List<String> inputs, Path out, RuntimeExecutionMode mode, Duration outOfOrderness) throws Exception {
        PipelineOptions options = new PipelineOptions();
        // One reader: which events are late must not depend on how fast parallel readers happen to run.
        if (mode == RuntimeExecutionMode.STREAMING) {
            options.parallelism = 1;
        }
        options.runtimeMode = mode;
        options.checkpointInterval = Duration.ofMillis(200);
        if (outOfOrderness != null) {
            options.maxOutOfOrderness = outOfOrderness;
        }
        Files.createDirectories(out);
        DetectJob job = new DetectJob(inputs, pack, options)
                .alertsTo(JsonLinesSink.toFile(out.resolve("alerts.jsonl")))
                .deadLettersTo(JsonLinesSink.toFile(out.resolve("dead.jsonl")))
                .historyTo(out.resolve("history").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        long start = System.nanoTime();
        JobSummary summary = new JobSummary(job.execute(env, "test"), Duration.ofNanos(System.nanoTime() - start));
        for (String f : List.of("alerts.jsonl", "dead.jsonl")) {
            if (!Files.exists(out.resolve(f))) {
                Files.createFile(out.resolve(f));
            }
        }
        return summary;
    }

    @Test
    void demoSampleRaisesExactlyTheTwoAttackChainsThroughTheCli() throws Exception {
        Path alerts = tmp.resolve("alerts.jsonl");
        Path history = tmp.resolve("history");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = ChainwatchCli.run("detect", "--input", SAMPLE.getParent().toString(), "--alerts", alerts.toString(),
                    "--history", history.toString(), "--patterns", ROOT.resolve("cep-patterns").toString());
        } finally {
            System.setOut(old);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        List<Alert> list = readAlerts(alerts);
        assertThat(byRule(list)).isEqualTo(EXPECTED);
        assertThat(printed).contains("records read        416").contains("duplicates dropped  5")
                .contains("unique events       358").contains("rbac-backdoor-wildcard-role              1")
                .contains("dead-lettered       0");
        Alert chain = list.stream().filter(a -> a.ruleId.equals("privileged-pod-then-exec")).findFirst().orElseThrow();
        assertThat(chain.severity).isEqualTo("critical");
        assertThat(chain.key).containsEntry("actor", "jane@corp.example").containsEntry("pod", "node-shell-7f9c");
        assertThat(chain.firstSeen).isEqualTo("2026-11-20T09:41:12.271201Z");
        assertThat(chain.lastSeen).isEqualTo("2026-11-20T09:42:30.200552Z");
        assertThat(chain.evidence.get(1).subresource).isEqualTo("exec");
        assertThat(chain.evidence.get(1).responseCode).isEqualTo(101);
        assertThat(chain.summary).contains("node worker-2").contains("/pods/node-shell-7f9c/exec");
        assertThat(chain.mitre.techniques).contains("T1611");
        assertThat(Files.readString(tmp.resolve("dead-letters.jsonl"))).isEmpty();
        // The schema check in readAlerts has teeth: a wrong severity or a missing field is refused.
        String line = Files.readAllLines(alerts).get(0);
        assertThat(ALERT_SCHEMA.validate(JsonSupport.mapper().readTree(line.replaceFirst("\"severity\":\"[a-z]+\"", "\"severity\":\"urgent\""))))
                .isNotEmpty();
        assertThat(ALERT_SCHEMA.validate(JsonSupport.mapper().readTree(line.replaceFirst("\"alertId\":\"[0-9a-f]+\",", ""))))
                .isNotEmpty();
    }

    @Test
    void historyHoldsOneRowPerDeduplicatedEventWithTheParsedValues() throws Exception {
        Path out = tmp.resolve("run");
        JobSummary summary = detect(List.of(SAMPLE.toString()), out, RuntimeExecutionMode.BATCH, null);

        // What the parser makes of the file on its own, first event per auditID.
        Map<String, AuditEvent> expected = new LinkedHashMap<>();
        Map<String, Set<Long>> positions = new LinkedHashMap<>();
        AuditEventParser parser = new AuditEventParser("default", 4096);
        for (int i = 0; i < sampleLines.size(); i++) {
            parser.parse(RawRecord.of("x", i + 1, sampleLines.get(i).getBytes(StandardCharsets.UTF_8)), new AuditEventParser.Output() {
                @Override
                public void event(AuditEvent e) {
                    expected.putIfAbsent(e.auditID, e);
                    positions.computeIfAbsent(e.auditID, k -> new TreeSet<>()).add(e.sourcePosition);
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    throw new AssertionError(d.toString());
                }

                @Override
                public void skipped(String category) {
                }
            });
        }
        List<AuditEvent> rows = HistoryFiles.read(out.resolve("history"));
        assertThat(rows).hasSize(expected.size()).hasSize((int) summary.get("events.unique"));
        assertThat(rows.stream().map(e -> e.auditID).distinct().count()).isEqualTo(rows.size());
        for (AuditEvent row : rows) {
            AuditEvent e = expected.get(row.auditID);
            assertThat(row.source).endsWith("kube-apiserver-audit.log");
            row.source = e.source;
            // A redelivered line may win the dedupe instead of its first copy; both say the same.
            assertThat(positions.get(row.auditID)).contains(row.sourcePosition);
            if (row.sourcePosition != e.sourcePosition && row.stage.equals(e.stage)) {
                row.sourcePosition = e.sourcePosition;
            }
            assertThat(row).as(row.auditID).isEqualTo(e);
        }
        // Partitions follow event time, not the time the test ran.
        assertThat(HistoryFiles.files(out.resolve("history"))).allSatisfy(f ->
                assertThat(out.resolve("history").relativize(f).toString()).startsWith("dt=2026-11-20/hour=09/part-").endsWith(".parquet"));
        assertThat(EventTimeBucketAssigner.partition(rows.get(0).eventTimeMicros)).isEqualTo("dt=2026-11-20/hour=09");

        // DuckDB, as an analyst would open it: Hive partitions, typed columns, maps and lists.
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement st = db.createStatement()) {
            String glob = out.resolve("history").toString().replace("'", "''") + "/**/*.parquet";
            try (java.sql.ResultSet rs = st.executeQuery("select count(*), count(distinct auditID), min(dt), min(hour),"
                    + " typeof(min(eventTime)), sum(case when annotations['authorization.k8s.io/decision'] = 'forbid' then 1 else 0 end),"
                    + " max(len(userGroups)), count(userExtra['authentication.kubernetes.io/pod-name'])"
                    + " from read_parquet('" + glob + "', hive_partitioning = true)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(rows.size());
                assertThat(rs.getLong(2)).isEqualTo(rows.size());
                assertThat(rs.getString(3)).isEqualTo("2026-11-20");
                assertThat(rs.getLong(4)).isEqualTo(9);
                assertThat(rs.getString(5)).isEqualTo("TIMESTAMP WITH TIME ZONE");
                assertThat(rs.getLong(6)).isEqualTo(rows.stream().filter(e -> "forbid".equals(e.decision)).count()).isPositive();
                assertThat(rs.getLong(7)).isPositive();
                assertThat(rs.getLong(8)).isEqualTo(rows.stream().filter(e -> e.podName != null).count()).isPositive();
            }
            try (java.sql.ResultSet rs = st.executeQuery("select json_extract_string(requestObject, '$.spec.nodeName')"
                    + " from read_parquet('" + glob + "') where auditID = 'bf429afc-198d-4f41-b796-04617b6cf00d'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("worker-2");
            }
        }
    }

    @Test
    void malformedInputIsDeadLetteredWithItsPositionWhileEverythingElseIsProcessed() throws Exception {
        List<String> lines = new ArrayList<>(sampleLines);
        Map<Integer, String> bad = new LinkedHashMap<>();
        bad.put(3, "{\"auditID\": \"cut-in-the-middle\", \"verb\": \"get\", \"stageTimest");
        bad.put(10, "this is not json");
        bad.put(20, "{\"kind\": 0, \"auditID\": \"k\"}");
        bad.put(30, "{\"auditID\": \"no-time\", \"verb\": \"get\", \"stage\": \"ResponseComplete\"}");
        bad.put(40, "{\"auditID\": \"t\", \"verb\": \"get\", \"stageTimestamp\": \"not-a-time\"}");
        bad.put(50, "[" .repeat(3000));
        for (Map.Entry<Integer, String> e : bad.entrySet()) {
            lines.add(e.getKey() - 1, e.getValue());
        }
        Path input = tmp.resolve("in/mixed.log");
        Files.createDirectories(input.getParent());
        Files.write(input, lines, StandardCharsets.UTF_8);
        Files.write(input.resolveSibling("bytes.log"), new byte[] {'{', (byte) 0xFF, '}', '\n'});

        Path out = tmp.resolve("out");
        JobSummary summary = detect(List.of(input.getParent().toString()), out, RuntimeExecutionMode.BATCH, null);

        List<DeadLetter> dead = readDeadLetters(out.resolve("dead.jsonl"));
        assertThat(dead).hasSize(7);
        Map<Long, String> mixed = dead.stream().filter(d -> d.source.endsWith("mixed.log"))
                .collect(Collectors.toMap(d -> d.position, d -> d.category));
        assertThat(mixed).containsEntry(3L, "malformed-json").containsEntry(10L, "malformed-json")
                .containsEntry(20L, "wrong-type").containsEntry(30L, "missing-timestamp")
                .containsEntry(40L, "bad-timestamp").containsEntry(50L, "too-complex");
        assertThat(dead).filteredOn(d -> d.source.endsWith("bytes.log")).singleElement()
                .satisfies(d -> assertThat(d.category).isEqualTo("invalid-utf8"));
        assertThat(dead).allSatisfy(d -> assertThat(d.reason).isNotBlank());
        assertThat(summary.sum("deadletters.")).isEqualTo(7);
        assertThat(HistoryFiles.read(out.resolve("history"))).hasSize(358);
        assertThat(byRule(readAlerts(out.resolve("alerts.jsonl")))).isEqualTo(EXPECTED);
    }

    @Test
    void fileOrderAndLineOrderDoNotChangeTheAlerts() throws Exception {
        Path single = tmp.resolve("single");
        detect(List.of(SAMPLE.toString()), single, RuntimeExecutionMode.BATCH, null);
        Set<String> reference = ids(readAlerts(single.resolve("alerts.jsonl")));
        assertThat(byRule(readAlerts(single.resolve("alerts.jsonl")))).isEqualTo(EXPECTED);
        assertThat(reference).hasSizeGreaterThan(EXPECTED.size()); // every alert, info and low ones too

        // The same lines shuffled over four files, one of them gzipped, named so that they list in two orders.
        List<String> shuffled = new ArrayList<>(sampleLines);
        Collections.shuffle(shuffled, new Random(42));
        for (String[] names : List.of(new String[] {"a.log", "b.log", "c.log", "d.log.gz"},
                new String[] {"z.log.gz", "y.log", "x.log", "w.log"})) {
            Path dir = tmp.resolve("split-" + names[0]);
            Files.createDirectories(dir);
            for (int f = 0; f < 4; f++) {
                List<String> part = new ArrayList<>();
                for (int i = f; i < shuffled.size(); i += 4) {
                    part.add(shuffled.get(i));
                }
                write(dir.resolve(names[f]), part);
            }
            Path out = tmp.resolve("out-" + names[0]);
            detect(List.of(dir.toString()), out, RuntimeExecutionMode.BATCH, null);
            List<Alert> alerts = readAlerts(out.resolve("alerts.jsonl"));
            assertThat(ids(alerts)).as("alert ids for file order " + List.of(names)).isEqualTo(reference);
            assertThat(byRule(alerts)).isEqualTo(EXPECTED);
        }
    }

    @Test
    void aStreamingReplayOfRotatedFilesReadsThemOldestFirst() throws Exception {
        // The sample (in time order) rotated into four files: read newest first, as Flink's default assigner
        // would, every older file would be behind the watermark.
        Path dir = tmp.resolve("rotated");
        Files.createDirectories(dir);
        int per = (sampleLines.size() + 3) / 4;
        for (int f = 0; f < 4; f++) {
            write(dir.resolve(String.format("audit-%04d.log", f)),
                    sampleLines.subList(f * per, Math.min(sampleLines.size(), (f + 1) * per)));
        }
        Path out = tmp.resolve("rotated-out");
        JobSummary summary = detect(List.of(dir.toString()), out, RuntimeExecutionMode.STREAMING, Duration.ofMinutes(1));
        assertThat(summary.get("events.late")).isZero();
        assertThat(readDeadLetters(out.resolve("dead.jsonl"))).isEmpty();
        assertThat(byRule(readAlerts(out.resolve("alerts.jsonl")))).isEqualTo(EXPECTED);
    }

    @Test
    void streamingModeRaisesTheSameAlertsAndReportsLateEvents() throws Exception {
        // A line from 09:00 appended at the end: 59 minutes behind the newest event.
        List<String> lines = new ArrayList<>(sampleLines);
        String early = sampleLines.stream().filter(l -> l.contains("\"stage\":\"ResponseComplete\"")).findFirst().orElseThrow()
                .replaceFirst("\"auditID\":\"[^\"]+\"", "\"auditID\":\"late-one\"");
        lines.add(early);
        Path input = tmp.resolve("late.log");
        Files.write(input, lines, StandardCharsets.UTF_8);

        Path out = tmp.resolve("streaming");
        JobSummary summary = detect(List.of(input.toString()), out, RuntimeExecutionMode.STREAMING, Duration.ofMinutes(1));
        assertThat(byRule(readAlerts(out.resolve("alerts.jsonl")))).isEqualTo(EXPECTED);
        assertThat(summary.get("events.late")).isEqualTo(1);
        assertThat(readDeadLetters(out.resolve("dead.jsonl"))).singleElement().satisfies(d -> {
            assertThat(d.category).isEqualTo("late");
            assertThat(d.position).isEqualTo(lines.size());
            assertThat(d.text).contains("late-one");
        });
        assertThat(HistoryFiles.read(out.resolve("history"))).as("late events are still kept in the history")
                .anySatisfy(e -> assertThat(e.auditID).isEqualTo("late-one")).hasSize(359);

        Path batch = tmp.resolve("batch");
        detect(List.of(SAMPLE.toString()), batch, RuntimeExecutionMode.BATCH, null);
        assertThat(ids(readAlerts(out.resolve("alerts.jsonl")))).isEqualTo(ids(readAlerts(batch.resolve("alerts.jsonl"))));
    }

    /** A sink that always fails, to prove that a failing bounded job ends instead of restarting forever. */
    static final class FailingSink implements org.apache.flink.api.connector.sink2.Sink<Alert> {
        @Override
        public org.apache.flink.api.connector.sink2.SinkWriter<Alert> createWriter(
                org.apache.flink.api.connector.sink2.WriterInitContext context) {
            return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
                @Override
                public void write(Alert element, Context ctx) throws IOException {
                    throw new IOException("alert store unreachable");
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(180)
    void aFailingStreamingRunFailsWithItsCauseInsteadOfRestartingForever() {
        PipelineOptions options = new PipelineOptions();
        options.runtimeMode = RuntimeExecutionMode.STREAMING;
        options.parallelism = 1;
        DetectJob job = new DetectJob(List.of(SAMPLE.toString()), pack, options).alertsTo(new FailingSink());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> job.execute(StreamExecutionEnvironment.getExecutionEnvironment(), "failing"))
                .hasStackTraceContaining("alert store unreachable");
    }

    @Test
    void anInvalidPatternSetStopsStartUpWithFileAndLine() throws Exception {
        Path patterns = tmp.resolve("patterns");
        Files.createDirectories(patterns);
        Files.writeString(patterns.resolve("broken.yaml"), "id: broken\ntitle: t\nseverity: high\nwhere:\n  verb: {startswith: create}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = ChainwatchCli.run("detect", "--input", SAMPLE.toString(), "--alerts", tmp.resolve("a.jsonl").toString(),
                    "--patterns", patterns.toString());
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(patterns.resolve("broken.yaml") + ":5:10: error: unknown operator key 'startswith'").contains("refusing to start");
        assertThat(tmp.resolve("a.jsonl")).doesNotExist();
    }

    private static void write(Path file, List<String> lines) throws IOException {
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
    }
}
