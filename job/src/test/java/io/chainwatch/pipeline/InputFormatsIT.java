package io.chainwatch.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.alert.Alert;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issue's acceptance run: one directory mixing raw audit logs, AKS, EKS and GKE envelopes, plain, gzip and
 * zstd, with a hostile corpus and planted secrets inside. Every valid event must reach the history, every bad
 * one the dead-letter file with its reason, the attack chains must alert whatever envelope carried them, and
 * no planted secret may appear in any output.
 */
class InputFormatsIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final Set<String> CHAIN_A = Set.of("35ab16dd-1ea0-43c9-b78c-fe68ce7ac7cb", "b6f076ec-ac0e-490f-871e-887a0657fe37",
            "fb53a5be-c5a8-4482-ac86-78aba5e9ca14", "debdd92f-6aea-446c-b1f9-c28c3a988586", "87e8cfb4-dd10-4bbd-81dd-7606576d4638");
    static final Set<String> CHAIN_B = Set.of("bf429afc-198d-4f41-b796-04617b6cf00d", "2274bb7c-9167-41ea-a009-8149a2e5b1b8",
            "e138b96a-381f-4808-b6e0-415ee7171bc1", "f9f18d84-fcda-44d7-a310-74fcc1323e0b");
    static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJjaGFpbndhdGNoIn0.UExBTlRFRC1TSUdOQVRVUkU";
    /** Values that must appear in no output. */
    static final List<String> PLANTED = List.of("UExBTlRFRC1TSUdOQVRVUkU", "cGxhbnRlZC1wYXNzd29yZA==", "planted-string-data",
            "planted-in-broken-line", "opaque-planted-review-token");

    @TempDir
    Path tmp;

    @Test
    void aDirectoryMixingEveryFormatAndHostileInputIsFullyAccountedFor() throws Exception {
        List<String> sample = Files.readAllLines(DetectionPipelineIT.SAMPLE, StandardCharsets.UTF_8);
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        JsonNodeFactory f = JsonNodeFactory.instance;

        // Raw audit NDJSON, gzip: the background, plus valid events carrying secrets.
        List<String> raw = new ArrayList<>();
        List<String> aks = new ArrayList<>();
        List<String> eks = new ArrayList<>();
        for (String line : sample) {
            String id = JsonSupport.mapper().readTree(line).path("auditID").asText();
            (CHAIN_B.contains(id) ? aks : CHAIN_A.contains(id) ? eks : raw).add(line);
        }
        raw.add("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\",\"auditID\":\"secret-create\","
                + "\"stage\":\"ResponseComplete\",\"verb\":\"create\",\"user\":{\"username\":\"alice@corp.example\"},"
                + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"shop\",\"name\":\"db\"},\"responseStatus\":{\"code\":201},"
                + "\"requestObject\":{\"kind\":\"Secret\",\"data\":{\"password\":\"cGxhbnRlZC1wYXNzd29yZA==\"},\"stringData\":{\"dsn\":\"planted-string-data\"}},"
                + "\"stageTimestamp\":\"2026-11-20T09:30:00.000001Z\"}");
        raw.add("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\",\"auditID\":\"token-review\","
                + "\"stage\":\"ResponseComplete\",\"verb\":\"create\",\"user\":{\"username\":\"system:kube-controller-manager\"},"
                + "\"objectRef\":{\"resource\":\"tokenreviews\",\"apiGroup\":\"authentication.k8s.io\"},\"responseStatus\":{\"code\":201},"
                + "\"requestObject\":{\"kind\":\"TokenReview\",\"spec\":{\"token\":\"opaque-planted-review-token\"}},"
                + "\"responseObject\":{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":true,\"user\":{\"username\":\"x\"}},"
                + "\"metadata\":{\"annotations\":{\"note\":\"" + JWT + "\"}}},"
                + "\"stageTimestamp\":\"2026-11-20T09:30:00.000002Z\"}");
        write(in.resolve("raw/audit.log.gz"), String.join("\n", raw) + "\n");

        // AKS: chain B in Event Hubs records, with a klog record of another category.
        ObjectNode hub = f.objectNode();
        ArrayNode records = hub.putArray("records");
        for (String line : aks) {
            ObjectNode r = records.addObject();
            r.put("resourceId", "/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD");
            r.put("category", "kube-audit");
            r.putObject("properties").put("log", line + "\n");
        }
        records.addObject().put("category", "kube-scheduler").putObject("properties").put("log", "I1120 09:41:15.000000 1 schedule.go:1] bound");
        write(in.resolve("aks/eventhub.json"), hub + "\n");

        // EKS: chain A in a subscription payload, zstd-compressed.
        ObjectNode payload = f.objectNode();
        payload.put("messageType", "DATA_MESSAGE");
        payload.put("logGroup", "/aws/eks/eks-prod/cluster");
        payload.put("logStream", "kube-apiserver-audit-71976ca11bea5d3083393f7d32dab75b");
        ArrayNode logEvents = payload.putArray("logEvents");
        for (String line : eks) {
            logEvents.addObject().put("id", "1").put("timestamp", 1).put("message", line);
        }
        write(in.resolve("eks/payloads.log.zst"), payload + "\n");

        // GKE: a cluster-admin binding and an ordinary read.
        String gke = "{\"insertId\":\"gke-binding\",\"resource\":{\"type\":\"k8s_cluster\",\"labels\":{\"cluster_name\":\"gke-prod\"}},"
                + "\"timestamp\":\"2026-11-20T09:50:00.5Z\",\"labels\":{\"authorization.k8s.io/decision\":\"allow\"},"
                + "\"protoPayload\":{\"serviceName\":\"k8s.io\",\"methodName\":\"io.k8s.authorization.rbac.v1.clusterrolebindings.create\","
                + "\"resourceName\":\"rbac.authorization.k8s.io/v1/clusterrolebindings/ops-admin\",\"authenticationInfo\":{\"principalEmail\":\"eve@acme.example\"},"
                + "\"requestMetadata\":{\"callerIp\":\"203.0.113.70\",\"callerSuppliedUserAgent\":\"kubectl/v1.31.2\"},\"status\":{},"
                + "\"request\":{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"eve@acme.example\"}]}}}\n"
                + "{\"insertId\":\"gke-read\",\"resource\":{\"labels\":{\"cluster_name\":\"gke-prod\"}},\"timestamp\":\"2026-11-20T09:51:00Z\","
                + "\"protoPayload\":{\"serviceName\":\"k8s.io\",\"methodName\":\"io.k8s.core.v1.pods.list\",\"resourceName\":\"core/v1/namespaces/default/pods\","
                + "\"authenticationInfo\":{\"principalEmail\":\"bob@acme.example\"},\"status\":{}}}\n";
        write(in.resolve("gke/entries.json"), gke);

        // The hostile corpus: each line or file is one bad input with its expected category.
        Map<String, String> hostile = new TreeMap<>();
        hostile.put("{\"auditID\":\"cut\",\"verb\":\"get\",\"stageTimest", "malformed-json");
        hostile.put("plain text, not json", "malformed-json");
        hostile.put("{\"kind\": 0, \"auditID\": \"k\"}", "wrong-type");
        hostile.put("{\"auditID\":\"v\",\"verb\":5,\"stageTimestamp\":\"2026-11-20T09:00:00Z\"}", "wrong-type");
        hostile.put("{\"verb\":\"get\",\"stageTimestamp\":\"2026-11-20T09:00:00Z\"}", "missing-field");
        hostile.put("{\"auditID\":\"nt\",\"verb\":\"get\",\"stage\":\"ResponseComplete\"}", "missing-timestamp");
        hostile.put("{\"auditID\":\"bt\",\"verb\":\"get\",\"stageTimestamp\":\"last tuesday\"}", "bad-timestamp");
        hostile.put("{\"auditID\":\"ft\",\"verb\":\"get\",\"stageTimestamp\":\"2999-01-01T00:00:00Z\"}", "future-timestamp");
        hostile.put("[".repeat(4000) + "]".repeat(4000), "too-complex");
        hostile.put("{\"auditID\":\"big\",\"verb\":\"get\",\"stageTimestamp\":\"2026-11-20T09:00:00Z\",\"sourceIPs\":["
                + "\"10.0.0.1\",".repeat(12_000) + "\"10.0.0.2\"]}", "too-complex");
        hostile.put("{\"auditID\":\"d\",\"auditID\":\"e\",\"verb\":\"get\",\"stageTimestamp\":\"2026-11-20T09:00:00Z\"}", "malformed-json");
        hostile.put("{\"auditID\":\"tg\",\"verb\":\"get\",\"stageTimestamp\":\"2026-11-20T09:00:00Z\"} {\"x\":1}", "malformed-json");
        hostile.put("\"a lonely string\"", "wrong-type");
        hostile.put("{\"kind\":\"EventList\",\"items\":\"none\"}", "wrong-type");
        hostile.put("{\"records\":[{\"category\":\"kube-audit\",\"properties\":{\"log\":\"{broken\"}}]}", "malformed-json");
        hostile.put("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/aws/eks/x/cluster\",\"logStream\":\"kube-apiserver-audit-1\","
                + "\"logEvents\":[{\"message\":\"{\\\"auditID\\\":\\\"tr\\\",\\\"verb\\\":\\\"get\\\"[Truncated...]\"}]}", "truncated");
        hostile.put("{\"insertId\":\"gx\",\"protoPayload\":{\"serviceName\":\"k8s.io\",\"methodName\":\"Watch\"}}", "wrong-type");
        hostile.put("{\"kind\":\"Pod\",\"auditID\":\"pod\"}", "unsupported-kind");
        hostile.put("{\"auditID\":\"or\",\"verb\":\"get\",\"objectRef\":\"pods\",\"stageTimestamp\":\"2026-11-20T09:00:00Z\"}", "wrong-type");
        hostile.put("H4sInot-base64-gzip!!", "bad-encoding");
        hostile.put("{\"auditID\":\"leak\",\"verb\":\"get\",\"requestObject\":{\"token\":\"planted-in-broken-line\",\"x\":" , "malformed-json");
        hostile.put("{\"auditID\":\"huge\",\"verb\":\"get\",\"pad\":\"" + "x".repeat(300_000) + "\"}", "read-error");
        write(in.resolve("hostile/mixed.log"), String.join("\n", hostile.keySet()) + "\n");
        Files.write(in.resolve("hostile/not-utf8.log"), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write((String.join("\n", raw.subList(0, 200)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = gz.toByteArray();
        Files.write(in.resolve("hostile/cut.log.gz"), java.util.Arrays.copyOf(all, all.length / 2));
        Files.write(in.resolve("hostile/not-gzip.log.gz"), "{\"plain\":\"text\"}\n".getBytes(StandardCharsets.UTF_8));
        int expectedBad = hostile.size() + 3; // + invalid UTF-8, the cut gzip, the file that is not gzip

        List<PatternDefinition> pack = PatternLoader.load(DetectionPipelineIT.ROOT.resolve("cep-patterns")).orThrow();
        PipelineOptions options = new PipelineOptions();
        options.runtimeMode = RuntimeExecutionMode.BATCH;
        options.maxLineBytes = 256 * 1024;
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        DetectJob job = new DetectJob(List.of(in.toString()), pack, options)
                .alertsTo(JsonLinesSink.toFile(out.resolve("alerts.jsonl")))
                .deadLettersTo(JsonLinesSink.toFile(out.resolve("dead.jsonl")))
                .historyTo(out.resolve("history").toUri().toString());
        long start = System.nanoTime();
        JobSummary summary = new JobSummary(job.execute(StreamExecutionEnvironment.getExecutionEnvironment(), "formats"),
                Duration.ofNanos(System.nanoTime() - start));

        // Every valid event is in the history: the sample's 358, two events with secrets, two from GKE.
        List<AuditEvent> history = HistoryFiles.read(out.resolve("history"));
        assertThat(history).hasSize(358 + 2 + 2);
        Map<String, Long> formats = history.stream().collect(Collectors.groupingBy(e -> e.sourceFormat, TreeMap::new, Collectors.counting()));
        assertThat(formats).containsEntry("aks", 4L).containsEntry("eks", 5L).containsEntry("gke", 2L);
        TreeSet<String> clusters = history.stream().map(e -> e.cluster).collect(Collectors.toCollection(TreeSet::new));
        assertThat(clusters).containsExactly("aks-prod", "default", "eks-prod", "gke-prod");

        // Every bad input is in the dead-letter file with a reason, and counted.
        List<DeadLetter> dead = DetectionPipelineIT.readDeadLetters(out.resolve("dead.jsonl"));
        assertThat(dead).hasSize(expectedBad).allSatisfy(d -> {
            assertThat(d.reason).isNotBlank();
            assertThat(d.source).isNotBlank();
        });
        assertThat(summary.sum("deadletters.")).isEqualTo(expectedBad);
        Map<Long, String> byLine = dead.stream().filter(d -> d.source.endsWith("mixed.log"))
                .collect(Collectors.toMap(d -> d.position, d -> d.category));
        List<String> expectedCategories = new ArrayList<>(hostile.values());
        for (int i = 0; i < expectedCategories.size(); i++) {
            assertThat(byLine.get((long) i + 1)).as("line " + (i + 1)).isEqualTo(expectedCategories.get(i));
        }
        assertThat(dead).filteredOn(d -> d.source.endsWith("not-utf8.log")).singleElement()
                .satisfies(d -> assertThat(d.category).isEqualTo("invalid-utf8"));
        assertThat(dead).filteredOn(d -> d.source.endsWith("cut.log.gz")).singleElement()
                .satisfies(d -> assertThat(d.category).isEqualTo("read-error"));
        assertThat(dead).filteredOn(d -> d.source.endsWith("not-gzip.log.gz")).singleElement()
                .satisfies(d -> assertThat(d.reason).contains("Not in GZIP format"));
        assertThat(summary.get("skipped.aks-category:kube-scheduler")).isEqualTo(1);

        // The chains alert whatever envelope carried them.
        List<Alert> alerts = DetectionPipelineIT.readAlerts(out.resolve("alerts.jsonl"));
        // (medium and above; the pack's info/low activity rules fire on the background as well)
        TreeSet<String> fired = alerts.stream()
                .filter(a -> io.chainwatch.pattern.Severity.valueOf(a.severity.toUpperCase()).compareTo(io.chainwatch.pattern.Severity.MEDIUM) >= 0)
                .map(a -> a.ruleId + "@" + a.cluster).collect(Collectors.toCollection(TreeSet::new));
        assertThat(fired).containsExactly("cluster-admin-binding-created@gke-prod", "clusterrole-with-wildcard-created@eks-prod",
                "host-pid-pod-created@aks-prod", "kube-namespace-service-account-created@eks-prod",
                "privileged-container-created@aks-prod", "privileged-pod-then-exec@aks-prod", "rbac-backdoor-wildcard-role@eks-prod",
                "sensitive-mount-pod-created@aks-prod", "system-role-modified-or-deleted@eks-prod",
                "wildcard-role-bound-then-sa-token-minted@eks-prod");

        // No planted secret in any output.
        StringBuilder everything = new StringBuilder();
        everything.append(Files.readString(out.resolve("alerts.jsonl"))).append(Files.readString(out.resolve("dead.jsonl")));
        history.forEach(e -> everything.append(JsonSupport.write(e)));
        for (String secret : PLANTED) {
            assertThat(everything.toString()).as("planted secret " + secret).doesNotContain(secret);
        }
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else if (name.endsWith(".zst")) {
            try (OutputStream out = new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
    }
}
