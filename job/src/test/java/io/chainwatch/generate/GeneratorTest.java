package io.chainwatch.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainwatch.cli.ChainwatchCli;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.RawRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static final String FIRST_SCENARIOS = "rbac-backdoor,node-breakout,token-theft";

    static Generator.Result generate(Path out, Consumer<Generator.Config> tweak) throws IOException {
        Generator.Config c = new Generator.Config();
        c.out = out;
        c.events = 20_000;
        // the first three scenarios, checked in detail here; each later scenario has its own test
        c.scenarios = Scenarios.select(FIRST_SCENARIOS);
        tweak.accept(c);
        return new Generator().run(c, new AtomicLong());
    }

    /** The cluster's files in order. */
    static List<Path> files(Path out, String cluster) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve(cluster))) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    static List<String> lines(Path file) throws IOException {
        byte[] bytes;
        if (file.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                bytes = in.readAllBytes();
            }
        } else {
            bytes = Files.readAllBytes(file);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return List.of(text.split("\n"));
    }

    static List<String> clusterLines(Path out, String cluster) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path f : files(out, cluster)) {
            all.addAll(lines(f));
        }
        return all;
    }

    static JsonNode labels(Path out) throws IOException {
        JsonNode labels = JSON.readTree(out.resolve("labels.json").toFile());
        assertThat(labels.isArray()).isTrue();
        return labels;
    }

    /** Every file of every cluster, as bytes, by relative path. */
    static Map<String, byte[]> tree(Path out) throws IOException {
        Map<String, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                m.put(out.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void sameArgumentsGiveTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        Consumer<Generator.Config> args = c -> {
            c.clusters = 2;
            c.events = 30_000;
            c.gzip = true;
        };
        generate(tmp.resolve("a"), args);
        generate(tmp.resolve("b"), args.andThen(c -> c.threads = 1));
        generate(tmp.resolve("c"), args.andThen(c -> c.seed = 2));
        Map<String, byte[]> a = tree(tmp.resolve("a"));
        Map<String, byte[]> b = tree(tmp.resolve("b"));
        assertThat(a.keySet()).containsExactlyInAnyOrder("labels.json", "prod-eu-1/audit-0001.log.gz",
                "staging-eu-1/audit-0001.log.gz");
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String k : a.keySet()) {
            assertThat(b.get(k)).as(k).isEqualTo(a.get(k));
        }
        Map<String, byte[]> c = tree(tmp.resolve("c"));
        assertThat(c.keySet()).isEqualTo(a.keySet());
        for (String k : a.keySet()) {
            assertThat(c.get(k)).as(k).isNotEqualTo(a.get(k));
        }
    }

    @Test
    void writesExactlyTheEventsAskedForSplitOverClustersAndRolledIntoFiles() throws IOException {
        Generator.Result r = generate(tmp, c -> {
            c.clusters = 2;
            c.events = 25_001;
            c.eventsPerFile = 5_000;
        });
        assertThat(r.events).isEqualTo(25_001);
        assertThat(clusterLines(tmp, "prod-eu-1")).hasSize(12_501);
        assertThat(clusterLines(tmp, "staging-eu-1")).hasSize(12_500);
        assertThat(files(tmp, "prod-eu-1")).extracting(p -> p.getFileName().toString())
                .containsExactly("audit-0001.log", "audit-0002.log", "audit-0003.log");
        assertThat(lines(tmp.resolve("prod-eu-1/audit-0001.log"))).hasSize(5_000);
        assertThat(lines(tmp.resolve("prod-eu-1/audit-0003.log"))).hasSize(2_501);
        assertThat(r.files).hasSize(6);
        assertThat(r.diskBytes).isEqualTo(r.rawBytes).isEqualTo(r.files.stream().mapToLong(p -> p.toFile().length()).sum());
    }

    @Test
    void eventsAreSortedByStageTimeAndDurationRunsStayInTheirWindow() throws IOException {
        Instant start = Instant.parse("2026-11-03T08:00:00Z");
        Generator.Result r = generate(tmp, c -> {
            c.events = 0;
            c.duration = Duration.ofHours(3);
            c.start = start;
            c.eventsPerFile = 7_000;
        });
        List<Path> files = files(tmp, "prod-eu-1");
        assertThat(files).hasSizeGreaterThan(2);
        String previous = "";
        long n = 0;
        for (Path f : files) {
            for (String line : lines(f)) {
                String t = JSON.readTree(line).get("stageTimestamp").asText();
                assertThat(t).as("line %d", n).isGreaterThanOrEqualTo(previous);
                previous = t;
                n++;
            }
        }
        assertThat(n).isEqualTo(r.events);
        // roughly 3 events/s on a 5-node cluster in working hours
        assertThat(n).isBetween(20_000L, 60_000L);
        String first = JSON.readTree(lines(files.get(0)).get(0)).get("stageTimestamp").asText();
        assertThat(first).startsWith("2026-11-03T08:00:");
        assertThat(previous).startsWith("2026-11-03T10:5");
        assertThat(labels(tmp)).hasSize(3);
    }

    @Test
    void fiveInstancesOfEveryScenarioInOneClusterAreAllSetUpAndLabelled() throws IOException {
        // 10 exec instances once reserved every app of a 5-10 app cluster, and the scenarios that change an
        // app's pods then had none left: a webhook write was labelled without its mutation.
        Generator.Result r = generate(tmp, c -> {
            c.events = 200_000;
            c.scenarios = Scenarios.ALL;
            c.attacks = 5 * Scenarios.ALL.size();
        });
        assertThat(r.unplaced).isEmpty();
        assertThat(r.incomplete).isZero();
        for (Scenario s : Scenarios.ALL) {
            assertThat(r.attacksByScenario.get(s.name())).as(s.name()).isEqualTo(5);
        }
        for (JsonNode l : labels(tmp)) {
            assertThat(l.path("auditIDs").size()).as(l.toString()).isGreaterThanOrEqualTo(2);
            // every event of the instance is listed, the evidence among them
            Set<String> events = new HashSet<>();
            l.path("events").forEach(e -> events.add(e.asText()));
            l.path("auditIDs").forEach(id -> assertThat(events).as(l.path("scenario").asText()).contains(id.asText()));
            assertThat(l.path("attackerIP").asText()).isNotEmpty();
        }
    }

    @Test
    void everyLineParsesAndTheLabelsPointAtTheEventsThePatternsNeed() throws IOException {
        Generator.Result r = generate(tmp, c -> {
            c.clusters = 2;
            c.events = 40_000;
        });
        Map<String, Map<String, AuditEvent>> kept = new HashMap<>();
        Map<String, Set<String>> stages = new HashMap<>();
        for (String cluster : r.clusters) {
            kept.put(cluster, GeneratedInstances.parse(tmp, cluster,
                    category -> assertThat(category).isIn("stage:RequestReceived", "stage:ResponseStarted")));
            for (String line : clusterLines(tmp, cluster)) {
                JsonNode node = JSON.readTree(line);
                stages.computeIfAbsent(node.get("auditID").asText(), k -> new HashSet<>()).add(node.get("stage").asText());
            }
        }
        JsonNode labels = labels(tmp);
        assertThat(labels).hasSize(6);
        Map<String, Integer> steps = Map.of("rbac-backdoor", 3, "node-breakout", 2, "token-theft", 2);
        Map<String, String> patterns = new HashMap<>();
        for (Scenario s : Scenarios.select(FIRST_SCENARIOS)) {
            patterns.put(s.name(), s.patternId());
            assertThat(Path.of(System.getProperty("chainwatch.root", ".."), "cep-patterns", s.patternId() + ".yaml"))
                    .as("pattern file of " + s.name()).exists();
        }
        Set<String> seenClusters = new HashSet<>();
        for (JsonNode label : labels) {
            String scenario = label.get("scenario").asText();
            String cluster = label.get("cluster").asText();
            seenClusters.add(cluster + "/" + scenario);
            assertThat(label.get("pattern").asText()).isEqualTo(patterns.get(scenario));
            assertThat(label.get("auditIDs")).hasSize(steps.get(scenario));
            assertThat(label.get("start").asText()).matches("2026-11-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z")
                    .isLessThan(label.get("end").asText());
            List<AuditEvent> evidence = new ArrayList<>();
            for (JsonNode id : label.get("auditIDs")) {
                AuditEvent e = kept.get(cluster).get(id.asText());
                assertThat(e).as(scenario + " " + id + " in " + cluster).isNotNull();
                assertThat(e.eventTimeMicros).isGreaterThanOrEqualTo(evidence.isEmpty() ? 0 : evidence.get(evidence.size() - 1).eventTimeMicros);
                String other = r.clusters.get(0).equals(cluster) ? r.clusters.get(1) : r.clusters.get(0);
                assertThat(kept.get(other)).doesNotContainKey(id.asText());
                evidence.add(e);
            }
            switch (scenario) {
                case "rbac-backdoor":
                    assertThat(evidence).extracting(e -> e.resource)
                            .containsExactly("clusterroles", "serviceaccounts", "clusterrolebindings");
                    assertThat(evidence).extracting(e -> e.principal).containsOnly(evidence.get(0).principal);
                    assertThat(evidence.get(0).requestObject).contains("\"verbs\":[\"*\"]");
                    assertThat(evidence.get(1).namespace).isEqualTo("kube-system");
                    assertThat(evidence).allSatisfy(e -> {
                        assertThat(e.level).isEqualTo("RequestResponse");
                        assertThat(e.responseObject).isNotNull();
                    });
                    break;
                case "node-breakout": {
                    AuditEvent create = evidence.get(0);
                    AuditEvent exec = evidence.get(1);
                    assertThat(create.verb).isEqualTo("create");
                    assertThat(create.requestObject).containsAnyOf("\"privileged\":true", "\"hostPID\":true",
                            "\"hostNetwork\":true", "\"hostPath\"");
                    assertThat(create.responseObject).contains(create.objectName);
                    assertThat(exec.subresource).isEqualTo("exec");
                    assertThat(exec.stage).isEqualTo("ResponseStarted");
                    assertThat(exec.responseCode).isEqualTo(101);
                    assertThat(exec.principal).isEqualTo(create.principal);
                    assertThat(exec.name).isEqualTo(create.objectName);
                    assertThat(stages.get(exec.auditID)).contains("ResponseStarted", "ResponseComplete");
                    break;
                }
                case "token-theft": {
                    AuditEvent exec = evidence.get(0);
                    AuditEvent use = evidence.get(1);
                    assertThat(exec.subresource).isEqualTo("exec");
                    assertThat(stages.get(exec.auditID)).contains("ResponseStarted", "ResponseComplete");
                    assertThat(use.podName).isEqualTo(exec.name);
                    assertThat(use.saNamespace).isEqualTo(exec.namespace);
                    assertThat(use.userAgent).matches("(kubectl|curl)/.*");
                    assertThat(use.credentialId).startsWith("JTI=");
                    assertThat(use.clientIP).doesNotStartWith("10.");
                    assertThat(use.resource).isIn("secrets", "selfsubjectrulesreviews");
                    break;
                }
                default:
                    throw new AssertionError(scenario);
            }
        }
        assertThat(seenClusters).hasSize(6);
    }

    @Test
    void gzipOutputIsTheSamePlainOutputCompressed() throws IOException {
        generate(tmp.resolve("plain"), c -> c.events = 15_000);
        Generator.Result gz = generate(tmp.resolve("gz"), c -> {
            c.events = 15_000;
            c.gzip = true;
        });
        byte[] plain = Files.readAllBytes(tmp.resolve("plain/prod-eu-1/audit-0001.log"));
        byte[] unzipped;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tmp.resolve("gz/prod-eu-1/audit-0001.log.gz")))) {
            unzipped = in.readAllBytes();
        }
        assertThat(unzipped).isEqualTo(plain);
        assertThat(gz.rawBytes).isEqualTo(plain.length);
        assertThat(gz.diskBytes).isLessThan(plain.length / 5);
        assertThat(Files.readAllBytes(tmp.resolve("gz/labels.json"))).isEqualTo(Files.readAllBytes(tmp.resolve("plain/labels.json")));
    }

    /** Inner audit events of an envelope parse as plain events, and the labelled ids are among them. */
    private static Set<String> parseInner(List<String> inner, String cluster) {
        AuditEventParser parser = new AuditEventParser(cluster, 4096);
        Set<String> ids = new HashSet<>();
        long pos = 0;
        for (String event : inner) {
            parser.parse(RawRecord.of(cluster, ++pos, event.getBytes(StandardCharsets.UTF_8)), new AuditEventParser.Output() {
                @Override
                public void event(AuditEvent e) {
                    ids.add(e.auditID);
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    throw new AssertionError(d.reason + "\n" + d.text);
                }

                @Override
                public void skipped(String category) {
                }
            });
        }
        return ids;
    }

    private void assertLabelledIdsIn(Set<String> ids, String cluster) throws IOException {
        for (JsonNode label : labels(tmp)) {
            if (label.get("cluster").asText().equals(cluster)) {
                for (JsonNode id : label.get("auditIDs")) {
                    assertThat(ids).contains(id.asText());
                }
            }
        }
    }

    @Test
    void aksLinesAreEventHubMessagesOfDiagnosticRecords() throws IOException {
        Generator.Result r = generate(tmp, c -> {
            c.format = OutputFormat.AKS;
            c.events = 20_000;
        });
        Pattern klog = Pattern.compile("[IWE]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} {7}1 [a-z_]+\\.go:\\d+\\] .*\n");
        List<String> inner = new ArrayList<>();
        int klogRecords = 0;
        String previous = "";
        for (String line : clusterLines(tmp, "prod-eu-1")) {
            JsonNode msg = JSON.readTree(line);
            assertThat(msg.fieldNames()).toIterable().containsExactly("records");
            assertThat(msg.get("records").size()).isBetween(1, 50);
            for (JsonNode rec : msg.get("records")) {
                assertThat(rec.fieldNames()).toIterable()
                        .containsExactly("time", "resourceId", "category", "operationName", "properties");
                assertThat(rec.get("time").asText()).matches("2026-11-01T\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z")
                        .isGreaterThanOrEqualTo(previous);
                previous = rec.get("time").asText();
                assertThat(rec.get("resourceId").asText()).matches("/SUBSCRIPTIONS/[0-9A-F-]{36}/RESOURCEGROUPS/RG-PROD-EU-1"
                        + "/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/PROD-EU-1");
                assertThat(rec.get("operationName").asText()).isEqualTo("Microsoft.ContainerService/managedClusters/diagnosticLogs/Read");
                JsonNode props = rec.get("properties");
                assertThat(props.get("pod").asText()).startsWith("kube-apiserver-");
                String log = props.get("log").asText();
                assertThat(log).endsWith("\n");
                if (rec.get("category").asText().equals("kube-audit")) {
                    assertThat(props.get("stream").asText()).isEqualTo("stdout");
                    JsonNode event = JSON.readTree(log);
                    assertThat(event.get("kind").asText()).isEqualTo("Event");
                    assertThat(rec.get("time").asText()).startsWith(event.get("stageTimestamp").asText().substring(0, 26));
                    inner.add(log.strip());
                } else {
                    assertThat(rec.get("category").asText()).isEqualTo("kube-apiserver");
                    assertThat(log).matches(klog);
                    klogRecords++;
                }
            }
        }
        assertThat(inner).hasSize((int) r.events);
        assertThat(klogRecords).isBetween(50, 400);
        assertLabelledIdsIn(parseInner(inner, "prod-eu-1"), "prod-eu-1");
        assertThat(labels(tmp)).hasSize(3);
    }

    @Test
    void eksLinesAreDecodedCloudWatchSubscriptionPayloads() throws IOException {
        Generator.Result r = generate(tmp, c -> {
            c.format = OutputFormat.EKS;
            c.events = 20_000;
        });
        List<String> inner = new ArrayList<>();
        Set<String> streams = new HashSet<>();
        Set<String> eventIds = new HashSet<>();
        boolean iamUser = false;
        long previous = 0;
        for (String line : clusterLines(tmp, "prod-eu-1")) {
            JsonNode msg = JSON.readTree(line);
            assertThat(msg.fieldNames()).toIterable().containsExactly("messageType", "owner", "logGroup", "logStream",
                    "subscriptionFilters", "logEvents");
            assertThat(msg.get("messageType").asText()).isEqualTo("DATA_MESSAGE");
            assertThat(msg.get("owner").asText()).isEqualTo("111122223333");
            assertThat(msg.get("logGroup").asText()).isEqualTo("/aws/eks/prod-eu-1/cluster");
            assertThat(msg.get("logStream").asText()).matches("kube-apiserver-audit-[0-9a-f]{32}");
            assertThat(msg.get("subscriptionFilters").get(0).asText()).isEqualTo("chainwatch");
            streams.add(msg.get("logStream").asText());
            assertThat(msg.get("logEvents").size()).isBetween(1, 50);
            for (JsonNode ev : msg.get("logEvents")) {
                assertThat(ev.get("id").asText()).matches("\\d{56}");
                assertThat(eventIds.add(ev.get("id").asText())).isTrue();
                assertThat(ev.get("timestamp").isIntegralNumber()).isTrue();
                assertThat(ev.get("timestamp").asLong()).isGreaterThanOrEqualTo(previous);
                previous = ev.get("timestamp").asLong();
                String message = ev.get("message").asText();
                JsonNode event = JSON.readTree(message);
                long stageMs = Instant.parse(event.get("stageTimestamp").asText()).toEpochMilli();
                assertThat(ev.get("timestamp").asLong()).isEqualTo(stageMs);
                String user = event.get("user").get("username").asText();
                if (user.startsWith("system:node:")) {
                    assertThat(user).matches("system:node:ip-10-0-\\d+-\\d+\\.eu-west-1\\.compute\\.internal");
                    assertThat(event.get("user").get("uid").asText()).startsWith("aws-iam-authenticator:111122223333:AROA");
                    assertThat(event.get("user").get("extra").fieldNames()).toIterable()
                            .containsExactly("accessKeyId", "arn", "canonicalArn", "principalId", "sessionName");
                } else if (user.endsWith("@corp.example")) {
                    assertThat(event.get("user").get("extra").get("arn").get(0).asText()).startsWith("arn:aws:sts::111122223333:assumed-role/");
                    iamUser = true;
                }
                inner.add(message);
            }
        }
        assertThat(streams).hasSize(2);
        assertThat(inner).hasSize((int) r.events);
        assertThat(iamUser).isTrue();
        assertLabelledIdsIn(parseInner(inner, "prod-eu-1"), "prod-eu-1");
    }

    @Test
    void gkeLinesAreCloudAuditLogEntriesAndTokenTheftIsLeftOut() throws IOException {
        Generator.Result r = generate(tmp, c -> {
            c.format = OutputFormat.GKE;
            c.events = 20_000;
        });
        assertThat(r.unsupported).containsEntry("token-theft", 1);
        assertThat(labels(tmp)).extracting(l -> l.get("scenario").asText()).containsExactlyInAnyOrder("rbac-backdoor", "node-breakout");
        Pattern method = Pattern.compile("io\\.k8s\\.[a-z.]+\\.v[0-9a-z]+\\.[a-z]+(\\.[a-z]+)?\\.(get|list|watch|create|update|patch|delete)");
        Set<String> ids = new HashSet<>();
        int denied = 0;
        int exec = 0;
        String previous = "";
        for (String line : clusterLines(tmp, "prod-eu-1")) {
            JsonNode e = JSON.readTree(line);
            assertThat(e.fieldNames()).toIterable().startsWith("insertId", "logName", "operation", "resource", "timestamp",
                    "receiveTimestamp", "labels", "protoPayload");
            ids.add(e.get("insertId").asText());
            assertThat(e.get("timestamp").asText()).isGreaterThanOrEqualTo(previous);
            previous = e.get("timestamp").asText();
            assertThat(e.get("resource").get("type").asText()).isEqualTo("k8s_cluster");
            assertThat(e.get("resource").get("labels").get("cluster_name").asText()).isEqualTo("prod-eu-1");
            assertThat(e.get("resource").get("labels").get("project_id").asText()).isNotEmpty();
            assertThat(e.get("resource").get("labels").get("location").asText()).isNotEmpty();
            JsonNode p = e.get("protoPayload");
            assertThat(p.get("@type").asText()).isEqualTo("type.googleapis.com/google.cloud.audit.AuditLog");
            assertThat(p.get("serviceName").asText()).isEqualTo("k8s.io");
            String m = p.get("methodName").asText();
            assertThat(m).matches(method);
            String verb = m.substring(m.lastIndexOf('.') + 1);
            boolean read = verb.equals("list") || verb.equals("watch") || verb.equals("get") && !m.contains(".exec.")
                    && !m.contains(".attach.") && !m.contains(".portforward.");
            assertThat(e.get("logName").asText()).isEqualTo("projects/acme-prod-eu/logs/cloudaudit.googleapis.com%2F"
                    + (read ? "data_access" : "activity"));
            String resourceName = p.get("resourceName").asText();
            assertThat(resourceName).matches("(core|[a-z.]+\\.k8s\\.io|apps|autoscaling)/v[0-9a-z]+/.+");
            if (m.startsWith("io.k8s.core.")) {
                assertThat(resourceName).startsWith("core/");
            }
            if (m.startsWith("io.k8s.authorization.rbac.")) {
                assertThat(resourceName).startsWith("rbac.authorization.k8s.io/v1/");
            }
            assertThat(p.get("authenticationInfo").get("principalEmail").asText()).isNotEmpty();
            assertThat(p.get("requestMetadata").get("callerIp").asText()).isNotEmpty();
            String decision = e.get("labels").get("authorization.k8s.io/decision").asText();
            if (decision.equals("forbid")) {
                assertThat(p.get("status").get("code").asInt()).isEqualTo(7);
                assertThat(p.get("status").get("message").asText()).isEqualTo("PERMISSION_DENIED");
                denied++;
            }
            if (m.equals("io.k8s.core.v1.pods.exec.create") || m.equals("io.k8s.core.v1.pods.exec.get")) {
                assertThat(e.get("labels").get("command.gke.io/command").asText()).isNotEmpty();
                exec++;
            }
            if (verb.equals("create") && m.startsWith("io.k8s.authorization.rbac.")) {
                assertThat(p.get("request").get("kind").asText()).startsWith("Cluster");
                assertThat(p.get("response").get("metadata").get("uid").asText()).isNotEmpty();
            }
            assertThat(p.has("status")).isTrue();
        }
        assertThat(ids).hasSize((int) r.events);
        assertThat(exec).isPositive();
        assertThat(denied).isGreaterThanOrEqualTo(0);
        assertLabelledIdsIn(ids, "prod-eu-1");
    }

    @Test
    void scenariosAndAttacksChooseWhatIsInjected() throws IOException {
        Generator.Result none = generate(tmp.resolve("none"), c -> c.scenarios = Scenarios.select("none"));
        assertThat(none.attacks).isZero();
        assertThat(labels(tmp.resolve("none"))).isEmpty();

        Generator.Result some = generate(tmp.resolve("some"), c -> {
            c.clusters = 2;
            c.events = 60_000;
            c.scenarios = Scenarios.select("token-theft,rbac-backdoor");
            c.attacks = 5;
        });
        assertThat(some.attacks + some.incomplete).isEqualTo(5);
        assertThat(some.attacksByScenario.keySet()).containsExactly("token-theft", "rbac-backdoor");
        JsonNode labels = labels(tmp.resolve("some"));
        assertThat(labels).extracting(l -> l.get("scenario").asText()).containsOnly("token-theft", "rbac-backdoor");
        // round-robin: scenarios first, then clusters (0: tt/prod, 1: rb/prod, 2: tt/staging, 3: rb/staging, 4: tt/prod)
        assertThat(labels).filteredOn(l -> l.get("cluster").asText().equals("prod-eu-1")).hasSize(3);
        Set<String> attackers = new HashSet<>();
        for (JsonNode l : labels) {
            attackers.add(l.get("auditIDs").get(0).asText());
        }
        assertThat(attackers).hasSize(labels.size());
    }

    @Test
    void theCommandPrintsASummaryAndRefusesBadArguments() throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = ChainwatchCli.run("generate", "--events", "5000", "--clusters", "2", "--format", "eks", "--gzip",
                    "--out", tmp.resolve("cli").toString(), "--seed", "7", "--start", "2026-11-02T09:00:00Z");
        } finally {
            System.setOut(old);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("events written  5,000 (eks, 2 clusters: prod-eu-1, staging-eu-1")
                .contains("attacks ").contains("labels.json").contains("bytes ").contains("before gzip").contains("events/s");
        assertThat(tmp.resolve("cli/prod-eu-1/audit-0001.log.gz")).exists();
        assertThat(tmp.resolve("cli/labels.json")).exists();

        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        try {
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            assertThat(ChainwatchCli.run("generate", "--out", tmp.toString())).isEqualTo(2);
            assertThat(ChainwatchCli.run("generate", "--events", "10", "--duration", "1h", "--out", tmp.toString())).isEqualTo(2);
            assertThat(ChainwatchCli.run("generate", "--events", "10", "--format", "splunk", "--out", tmp.toString())).isEqualTo(2);
            assertThat(ChainwatchCli.run("generate", "--events", "10", "--scenarios", "cryptominer", "--out", tmp.toString())).isEqualTo(2);
        } finally {
            System.setErr(oldErr);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("mutually exclusive").contains("'splunk'")
                .contains("unknown scenario 'cryptominer'");
    }

    @Test
    void principalsAddManyDistinctLowRateTenants() throws IOException {
        Path a = tmp.resolve("a");
        generate(a, c -> {
            c.principals = 3000;
            c.principalRate = 40;
        });
        Set<String> tenants = new HashSet<>();
        long tenantEvents = 0;
        long all = 0;
        for (Path f : files(a, "prod-eu-1")) {
            for (String line : lines(f)) {
                all++;
                String user = JSON.readTree(line).path("user").path("username").asText();
                if (user.startsWith("tenant-user-") || user.startsWith("system:serviceaccount:tenant-")) {
                    tenants.add(user);
                    tenantEvents++;
                }
            }
        }
        // 40 req/s of tenants against ~3 events/s of background: most events are theirs, spread over most of them
        assertThat(tenantEvents).isGreaterThan(all / 2);
        assertThat(tenants.size()).isGreaterThan(2500).isLessThanOrEqualTo(3000);
        assertThat(tenants).anyMatch(u -> u.startsWith("tenant-user-")).anyMatch(u -> u.startsWith("system:serviceaccount:tenant-"));

        Path b = tmp.resolve("b");
        generate(b, c -> {
            c.principals = 3000;
            c.principalRate = 40;
        });
        for (Path f : files(a, "prod-eu-1")) {
            assertThat(Files.readAllBytes(b.resolve("prod-eu-1").resolve(f.getFileName()))).isEqualTo(Files.readAllBytes(f));
        }
    }
}
