package io.chainwatch.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** AKS, EKS and GKE envelopes, detected per document, mapped onto audit events. */
class EnvelopesTest {

    static final String EVENT = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"%s\","
            + "\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/kube-system/secrets\",\"verb\":\"list\","
            + "\"user\":{\"username\":\"ops@example.com\",\"groups\":[\"system:authenticated\"]},\"sourceIPs\":[\"198.51.100.9\"],"
            + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"kube-system\",\"apiVersion\":\"v1\"},"
            + "\"responseStatus\":{\"code\":200},\"stageTimestamp\":\"2026-03-04T10:15:22.131905Z\","
            + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}";

    static String event(String id) {
        return String.format(EVENT, id);
    }

    static String quoted(String json) {
        return JsonSupport.write(json);
    }

    private final AuditEventParserTest.Collected c = new AuditEventParserTest.Collected();

    private void parse(String text) {
        new AuditEventParser("fallback", 4096).parse(RawRecord.of("in.log", 3, text.getBytes(StandardCharsets.UTF_8)), c);
    }

    @Test
    void aksEventHubRecordsYieldTheAuditCategoriesAndSkipTheRest() {
        parse("{\"records\":["
                + "{\"time\":\"2026-03-04T10:15:22Z\",\"resourceId\":\"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD\","
                + "\"category\":\"kube-audit\",\"properties\":{\"log\":" + quoted(event("a1") + "\n") + ",\"pod\":\"kube-apiserver-x\"}},"
                + "{\"resourceId\":\"/x/MANAGEDCLUSTERS/AKS-PROD\",\"category\":\"kube-apiserver\",\"properties\":{\"log\":\"I0304 10:15:22.1 1 x.go:1] hello\"}},"
                + "{\"resourceId\":\"/x/MANAGEDCLUSTERS/AKS-PROD\",\"category\":\"kube-audit-admin\",\"properties\":{\"log\":" + event("a2") + "}},"
                + "{\"resourceId\":\"/x/MANAGEDCLUSTERS/AKS-PROD\",\"category\":\"kube-audit\",\"properties\":{\"log\":\"{not json\"}}"
                + "]}");
        assertThat(c.events).extracting(e -> e.auditID).containsExactly("a1", "a2");
        assertThat(c.events).allSatisfy(e -> {
            assertThat(e.cluster).isEqualTo("aks-prod");
            assertThat(e.sourceFormat).isEqualTo("aks");
            assertThat(e.principal).isEqualTo("ops@example.com");
        });
        assertThat(c.skipped).containsExactly("aks-category:kube-apiserver");
        assertThat(c.dead).singleElement().satisfies(d -> {
            assertThat(d.category).isEqualTo("malformed-json");
            assertThat(d.reason).startsWith("record 3: embedded event is not valid JSON");
        });
    }

    @Test
    void aSingleAksRecordOnItsOwnLine() {
        parse("{\"category\":\"kube-audit\",\"resourceId\":\"/x/MANAGEDCLUSTERS/AKS-ONE\",\"properties\":{\"log\":" + quoted(event("s1")) + "}}");
        assertThat(c.events).singleElement().satisfies(e -> {
            assertThat(e.auditID).isEqualTo("s1");
            assertThat(e.cluster).isEqualTo("aks-one");
        });
    }

    @Test
    void siemStyleTimestampsAreReadAsUtc() {
        assertThat(AuditTimestamps.formatMicros(AuditTimestamps.parseMicros("2022-11-29 22:14:05.123"))).isEqualTo("2022-11-29T22:14:05.123000Z");
        assertThat(AuditTimestamps.formatMicros(AuditTimestamps.parseMicros("2022-11-29 22:14:05+01:00"))).isEqualTo("2022-11-29T21:14:05.000000Z");
    }

    @Test
    void aksLogAnalyticsExportsBothModes() {
        parse("[{\"TimeGenerated\":\"2026-03-04T10:15:23Z\",\"Category\":\"kube-audit\",\"log_s\":" + quoted(event("d1"))
                + ",\"ResourceId\":\"/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-dev\"},"
                + "{\"Category\":\"guard\",\"log_s\":\"x\"}]");
        parse("{\"AuditId\":\"r1\",\"Level\":\"RequestResponse\",\"Stage\":\"ResponseComplete\",\"Verb\":\"create\","
                + "\"RequestUri\":\"/api/v1/namespaces/a/pods\",\"User\":{\"username\":\"dev\"},\"SourceIps\":\"[\\\"203.0.113.4\\\"]\","
                + "\"ObjectRef\":{\"resource\":\"pods\",\"namespace\":\"a\",\"name\":\"p\"},\"ResponseStatus\":{\"code\":201},"
                + "\"RequestObject\":\"skipped-too-big-size-object\",\"StageReceivedTime\":\"2026-03-04T10:15:22.5Z\","
                + "\"_ResourceId\":\"/subscriptions/0/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks-dev\"}");
        assertThat(c.events).extracting(e -> e.auditID).containsExactly("d1", "r1");
        assertThat(c.events).allSatisfy(e -> assertThat(e.cluster).isEqualTo("aks-dev"));
        AuditEvent row = c.events.get(1);
        assertThat(row.clientIP).isEqualTo("203.0.113.4");
        assertThat(row.requestObject).as("a body AKS did not keep stays absent").isNull();
        assertThat(c.skipped).containsExactly("aks-category:guard");
    }

    @Test
    void eksSubscriptionPayloadsDecodedOrBase64Gzip() throws Exception {
        String payload = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logGroup\":\"/aws/eks/prod-eu/cluster\","
                + "\"logStream\":\"kube-apiserver-audit-71976ca11bea5d3083393f7d32dab75b\",\"logEvents\":["
                + "{\"id\":\"1\",\"timestamp\":1,\"message\":" + quoted(event("e1")) + "},"
                + "{\"id\":\"2\",\"timestamp\":1,\"message\":" + quoted(event("e2").substring(0, 120) + "[Truncated...]") + "}]}";
        parse(payload);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(payload.replace("e1", "e3").getBytes(StandardCharsets.UTF_8));
        }
        parse(Base64.getEncoder().encodeToString(gz.toByteArray()));
        parse("{\"messageType\":\"CONTROL_MESSAGE\",\"logEvents\":[]}");
        parse("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/aws/eks/prod-eu/cluster\",\"logStream\":\"authenticator-0123456789abcdef\",\"logEvents\":[]}");
        parse("{\"events\":[{\"logStreamName\":\"kube-apiserver-audit-1\",\"timestamp\":1,\"message\":" + quoted(event("f1")) + "}]}");
        assertThat(c.events).extracting(e -> e.auditID).containsExactly("e1", "e3", "f1");
        assertThat(c.events.get(0).cluster).isEqualTo("prod-eu");
        assertThat(c.events.get(2).cluster).as("FilterLogEvents names no group").isEqualTo("fallback");
        assertThat(c.events).allSatisfy(e -> assertThat(e.sourceFormat).isEqualTo("eks"));
        assertThat(c.dead).hasSize(2).allSatisfy(d -> {
            assertThat(d.category).isEqualTo("truncated");
            assertThat(d.reason).contains("auditID e2");
        });
        assertThat(c.skipped).containsExactly("eks-control-message", "eks-stream:authenticator");
    }

    @Test
    void gkeLogEntriesMapOntoAuditFieldsAndLeaveOutWhatGkeLacks() {
        parse("{\"insertId\":\"g1\",\"resource\":{\"type\":\"k8s_cluster\",\"labels\":{\"cluster_name\":\"gke-prod\"}},"
                + "\"timestamp\":\"2026-03-04T11:02:45.958870Z\",\"labels\":{\"authorization.k8s.io/decision\":\"allow\","
                + "\"command.gke.io/command\":\"sh -c id\"},\"protoPayload\":{\"serviceName\":\"k8s.io\","
                + "\"methodName\":\"io.k8s.core.v1.pods.exec.create\",\"resourceName\":\"core/v1/namespaces/payments/pods/api-1/exec\","
                + "\"authenticationInfo\":{\"principalEmail\":\"alice@acme.example\"},"
                + "\"requestMetadata\":{\"callerIp\":\"198.51.100.40\",\"callerSuppliedUserAgent\":\"kubectl/v1.31.2\"},\"status\":{}}}");
        parse("{\"insertId\":\"g2\",\"resource\":{\"labels\":{\"cluster_name\":\"gke-prod\"}},\"timestamp\":\"2026-03-04T11:03:00Z\","
                + "\"protoPayload\":{\"serviceName\":\"k8s.io\",\"methodName\":\"io.k8s.authorization.rbac.v1.clusterrolebindings.create\","
                + "\"resourceName\":\"rbac.authorization.k8s.io/v1/clusterrolebindings/backdoor\",\"authenticationInfo\":{\"principalEmail\":\"eve@acme.example\"},"
                + "\"status\":{\"code\":7,\"message\":\"PERMISSION_DENIED\"},\"request\":{\"roleRef\":{\"name\":\"cluster-admin\"}}}}");
        parse("{\"insertId\":\"g3\",\"protoPayload\":{\"serviceName\":\"container.googleapis.com\",\"methodName\":\"google.container.v1.ClusterManager.UpdateCluster\"}}");
        assertThat(c.events).hasSize(2);
        AuditEvent exec = c.events.get(0);
        assertThat(exec.cluster).isEqualTo("gke-prod");
        assertThat(exec.sourceFormat).isEqualTo("gke");
        assertThat(exec.verb).isEqualTo("create");
        assertThat(exec.stage).isEqualTo("ResponseStarted");
        assertThat(exec.resource).isEqualTo("pods");
        assertThat(exec.subresource).isEqualTo("exec");
        assertThat(exec.namespace).isEqualTo("payments");
        assertThat(exec.name).isEqualTo("api-1");
        assertThat(exec.apiGroup).isEmpty();
        assertThat(exec.principal).isEqualTo("alice@acme.example");
        assertThat(exec.clientIP).isEqualTo("198.51.100.40");
        assertThat(exec.decision).isEqualTo("allow");
        assertThat(exec.annotations).containsEntry("command.gke.io/command", "sh -c id");
        assertThat(exec.userGroups).as("GKE does not record groups").isNull();
        assertThat(exec.requestURI).as("nor the request URI").isNull();
        AuditEvent binding = c.events.get(1);
        assertThat(binding.resource).isEqualTo("clusterrolebindings");
        assertThat(binding.apiGroup).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.objectName).isEqualTo("backdoor");
        assertThat(binding.responseCode).isEqualTo(403);
        assertThat(binding.requestTree().at("/roleRef/name").asText()).isEqualTo("cluster-admin");
        assertThat(c.skipped).containsExactly("gke-service:container.googleapis.com");
    }

    @Test
    void aForcedFormatRefusesOtherEnvelopes() {
        AuditEventParserTest.Collected forced = new AuditEventParserTest.Collected();
        new AuditEventParser("c", 4096, SourceFormat.GKE).parse(RawRecord.of("x", 1, event("z").getBytes(StandardCharsets.UTF_8)), forced);
        assertThat(forced.dead).singleElement().satisfies(d -> {
            assertThat(d.category).isEqualTo("wrong-format");
            assertThat(d.reason).contains("expected gke input (--format), found audit");
        });
    }

    @Test
    void gkeResourceNamesOfEveryShape() {
        ObjectNode cluster = GkeLogEntries.objectRef("certificates.k8s.io/v1/certificatesigningrequests/csr-1/approval");
        assertThat(cluster.path("resource").asText()).isEqualTo("certificatesigningrequests");
        assertThat(cluster.path("subresource").asText()).isEqualTo("approval");
        assertThat(cluster.has("namespace")).isFalse();
        ObjectNode list = GkeLogEntries.objectRef("core/v1/namespaces/default/secrets");
        assertThat(list.path("resource").asText()).isEqualTo("secrets");
        assertThat(list.path("namespace").asText()).isEqualTo("default");
        assertThat(list.has("name")).isFalse();
        ObjectNode ns = GkeLogEntries.objectRef("core/v1/namespaces/kube-system");
        assertThat(ns.path("resource").asText()).isEqualTo("namespaces");
        assertThat(ns.path("name").asText()).isEqualTo("kube-system");
    }
}
