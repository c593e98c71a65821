package io.chainwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEventParserTest {

    private final AuditEventParser parser = new AuditEventParser("prod-eu", 200);

    /** Collects what the parser emits. */
    static final class Collected implements AuditEventParser.Output {
        final List<AuditEvent> events = new ArrayList<>();
        final List<DeadLetter> dead = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();

        @Override
        public void event(AuditEvent event) {
            events.add(event);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            dead.add(deadLetter);
        }

        @Override
        public void skipped(String category) {
            skipped.add(category);
        }
    }

    private Collected parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private Collected parse(byte[] bytes) {
        Collected c = new Collected();
        parser.parse(RawRecord.of("audit.log", 7, bytes), c);
        return c;
    }

    private static final String POD_CREATE = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\","
            + "\"auditID\":\"a-1\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/build/pods\",\"verb\":\"create\","
            + "\"user\":{\"username\":\"system:serviceaccount:build:runner\",\"uid\":\"u-1\",\"groups\":[\"system:serviceaccounts\"],"
            + "\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"runner-7d9f\"],\"authentication.kubernetes.io/credential-id\":[\"JTI=abc\"]}},"
            + "\"sourceIPs\":[\"198.51.100.23\",\"10.0.0.5\"],\"userAgent\":\"kubectl/v1.31.2\","
            + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"build\",\"apiVersion\":\"v1\"},"
            + "\"responseStatus\":{\"metadata\":{},\"code\":201},"
            + "\"requestObject\":{\"metadata\":{\"generateName\":\"diag-\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"securityContext\":{\"privileged\":true}}]}},"
            + "\"responseObject\":{\"metadata\":{\"name\":\"diag-x2kqp\",\"namespace\":\"build\"}},"
            + "\"requestReceivedTimestamp\":\"2026-03-04T10:15:22.104233Z\",\"stageTimestamp\":\"2026-03-04T10:15:22.131905Z\","
            + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"RBAC\"}}";

    @Test
    void mapsFieldsAndDerivesWhatPatternsNeed() {
        Collected c = parse(POD_CREATE);
        assertThat(c.dead).isEmpty();
        assertThat(c.events).hasSize(1);
        AuditEvent e = c.events.get(0);
        assertThat(e.cluster).isEqualTo("prod-eu");
        assertThat(e.source).isEqualTo("audit.log");
        assertThat(e.sourcePosition).isEqualTo(7);
        assertThat(e.auditID).isEqualTo("a-1");
        assertThat(e.verb).isEqualTo("create");
        assertThat(e.userGroups).containsExactly("system:serviceaccounts");
        assertThat(e.principal).isEqualTo("system:serviceaccount:build:runner");
        assertThat(e.saNamespace).isEqualTo("build");
        assertThat(e.saName).isEqualTo("runner");
        assertThat(e.podName).isEqualTo("runner-7d9f");
        assertThat(e.credentialId).isEqualTo("JTI=abc");
        assertThat(e.objectName).as("generateName: the name is only in the response").isEqualTo("diag-x2kqp");
        assertThat(e.clientIP).isEqualTo("198.51.100.23");
        assertThat(e.peerIP).isEqualTo("10.0.0.5");
        assertThat(e.responseCode).isEqualTo(201);
        assertThat(e.responseClass).isEqualTo("2xx");
        assertThat(e.decision).isEqualTo("allow");
        assertThat(e.eventTimeMicros).isEqualTo(AuditTimestamps.parseMicros("2026-03-04T10:15:22.131905Z"));
        assertThat(AuditTimestamps.formatMicros(e.eventTimeMicros)).isEqualTo("2026-03-04T10:15:22.131905Z");
        assertThat(e.requestReceivedMicros).isEqualTo(AuditTimestamps.parseMicros("2026-03-04T10:15:22.104233Z"));
        JsonNode request = e.requestTree();
        assertThat(request.at("/spec/containers/0/securityContext/privileged").booleanValue()).isTrue();
    }

    @Test
    void impersonatedUserIsThePrincipal() {
        Collected c = parse("{\"auditID\":\"i\",\"verb\":\"get\",\"stage\":\"ResponseComplete\","
                + "\"user\":{\"username\":\"admin\"},\"impersonatedUser\":{\"username\":\"system:serviceaccount:kube-system:default\"},"
                + "\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}");
        AuditEvent e = c.events.get(0);
        assertThat(e.userName).isEqualTo("admin");
        assertThat(e.principal).isEqualTo("system:serviceaccount:kube-system:default");
        assertThat(e.saNamespace).isEqualTo("kube-system");
        assertThat(e.responseClass).isEqualTo("unknown");
    }

    @Test
    void keepsOneStagePerRequest() {
        String base = "{\"kind\":\"Event\",\"auditID\":\"s\",\"verb\":\"%s\",\"stage\":\"%s\",\"objectRef\":{\"resource\":\"pods\"%s},"
                + "\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}";
        assertThat(parse(String.format(base, "create", "RequestReceived", "")).skipped).containsExactly("stage:RequestReceived");
        assertThat(parse(String.format(base, "watch", "ResponseStarted", "")).skipped).containsExactly("stage:ResponseStarted");
        assertThat(parse(String.format(base, "create", "ResponseStarted", ",\"subresource\":\"exec\"")).events).hasSize(1);
        assertThat(parse(String.format(base, "create", "ResponseComplete", "")).events).hasSize(1);
        assertThat(parse(String.format(base, "create", "Panic", "")).events).hasSize(1);
    }

    @Test
    void readsV1beta1TimestampsAndFallbacks() {
        Collected beta = parse("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1beta1\",\"auditID\":\"b\",\"verb\":\"get\","
                + "\"stage\":\"ResponseComplete\",\"timestamp\":\"2019-05-01T10:00:00Z\",\"metadata\":{\"creationTimestamp\":\"2019-05-01T10:00:01Z\"}}");
        assertThat(beta.events.get(0).eventTimeMicros).isEqualTo(AuditTimestamps.parseMicros("2019-05-01T10:00:00Z"));
        Collected noStage = parse("{\"auditID\":\"r\",\"verb\":\"get\",\"stage\":\"ResponseComplete\","
                + "\"requestReceivedTimestamp\":\"2026-01-01T00:00:00.5+01:00\"}");
        assertThat(AuditTimestamps.formatMicros(noStage.events.get(0).eventTimeMicros)).isEqualTo("2025-12-31T23:00:00.500000Z");
    }

    @Test
    void expandsEventListsAndArrays() {
        String item = "{\"auditID\":\"%s\",\"verb\":\"get\",\"stage\":\"ResponseComplete\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}";
        Collected list = parse("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":["
                + String.format(item, "x") + "," + String.format(item, "y") + ",42]}");
        assertThat(list.events).extracting(e -> e.auditID).containsExactly("x", "y");
        assertThat(list.dead).singleElement().satisfies(d -> {
            assertThat(d.category).isEqualTo("wrong-type");
            assertThat(d.reason).startsWith("item 2:");
        });
        Collected array = parse("[" + String.format(item, "p") + "," + String.format(item, "q") + "]");
        assertThat(array.events).extracting(e -> e.auditID).containsExactly("p", "q");
    }

    @Test
    void deadLettersEveryKindOfBrokenInputWithPositionAndReason() {
        assertCategory("not json at all", "malformed-json");
        assertCategory("{\"auditID\":\"t\",\"verb\":\"get\"", "malformed-json");
        assertCategory("{\"auditID\":\"t\",\"verb\":\"get\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\"} trailing", "malformed-json");
        assertCategory("{\"kind\":0,\"auditID\":\"t\"}", "wrong-type");
        assertCategory("{\"auditID\":\"t\",\"verb\":5,\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}", "wrong-type");
        assertCategory("{\"auditID\":\"t\",\"verb\":\"get\",\"user\":\"bob\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}", "wrong-type");
        assertCategory("{\"auditID\":\"t\",\"verb\":\"get\",\"responseStatus\":{\"code\":\"201\"},\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}", "wrong-type");
        assertCategory("{\"verb\":\"get\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}", "missing-field");
        assertCategory("{\"auditID\":\"t\",\"verb\":\"get\"}", "missing-timestamp");
        assertCategory("{\"auditID\":\"t\",\"verb\":\"get\",\"stageTimestamp\":\"yesterday\"}", "bad-timestamp");
        assertCategory("{\"kind\":\"Pod\",\"auditID\":\"t\"}", "unsupported-kind");
        assertCategory("{\"auditID\":\"t\",\"auditID\":\"u\",\"verb\":\"get\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}", "malformed-json");
        assertCategory("\"just a string\"", "wrong-type");
        assertCategory("[".repeat(5000) + "]".repeat(5000), "too-complex");
        Collected bad = parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        assertThat(bad.dead).singleElement().satisfies(d -> assertThat(d.category).isEqualTo("invalid-utf8"));
    }

    private void assertCategory(String input, String category) {
        Collected c = parse(input);
        assertThat(c.events).as(input).isEmpty();
        assertThat(c.dead).as(input).singleElement().satisfies(d -> {
            assertThat(d.category).isEqualTo(category);
            assertThat(d.source).isEqualTo("audit.log");
            assertThat(d.position).isEqualTo(7);
            assertThat(d.reason).isNotBlank();
            assertThat(d.text.length()).isLessThanOrEqualTo(200);
        });
    }

    @Test
    void deadLetterTextIsTruncatedToTheLimit() {
        Collected c = parse("x".repeat(1000));
        assertThat(c.dead.get(0).text).hasSize(200);
        assertThat(c.dead.get(0).truncated).isTrue();
    }

    @Test
    void readErrorsFromTheSourceAreDeadLettered() {
        Collected c = new Collected();
        parser.parse(RawRecord.failure("a.log.gz", 12, "file unreadable after line 11: java.io.EOFException", null), c);
        assertThat(c.dead).singleElement().satisfies(d -> {
            assertThat(d.category).isEqualTo("read-error");
            assertThat(d.position).isEqualTo(12);
        });
    }

    @Test
    void redactsSecretValuesAndTokensBeforeAnythingIsWritten() {
        String secret = "{\"auditID\":\"s1\",\"verb\":\"create\",\"stage\":\"ResponseComplete\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\","
                + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"shop\",\"name\":\"db\"},"
                + "\"requestObject\":{\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"annotations\":{"
                + "\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"data\\\":{\\\"password\\\":\\\"aHVudGVyMg==\\\"}}\"}},"
                + "\"data\":{\"password\":\"aHVudGVyMg==\"},\"stringData\":{\"token\":\"s3cr3t-planted\"}},"
                + "\"responseObject\":{\"kind\":\"SecretList\",\"items\":[{\"data\":{\"k\":\"c2VjcmV0LXZhbHVl\"}}]}}";
        AuditEvent e = parse(secret).events.get(0);
        assertThat(e.requestObject).doesNotContain("aHVudGVyMg==").doesNotContain("s3cr3t-planted")
                .contains("\"password\":\"[REDACTED:12]\"").contains("\"token\":\"[REDACTED:14]\"");
        assertThat(e.responseObject).doesNotContain("c2VjcmV0LXZhbHVl").contains("[REDACTED:16]");

        String tokenRequest = "{\"auditID\":\"t1\",\"verb\":\"create\",\"stage\":\"ResponseComplete\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\","
                + "\"objectRef\":{\"resource\":\"serviceaccounts\",\"subresource\":\"token\",\"namespace\":\"kube-system\",\"name\":\"sa\"},"
                + "\"responseObject\":{\"kind\":\"TokenRequest\",\"status\":{\"token\":\"eyJhbGciOiJSUzI1NiJ9.planted\",\"expirationTimestamp\":\"2026-01-02T00:00:00Z\"}}}";
        AuditEvent t = parse(tokenRequest).events.get(0);
        assertThat(t.responseObject).doesNotContain("eyJhbGciOiJSUzI1NiJ9").contains("[REDACTED:");
    }

    @Test
    void theWordAtATimeAsciiCheckAgreesWithTheByteByByteDefinition() {
        java.util.Random r = new java.util.Random(7);
        byte[] specials = {0, 0x08, '\t', '\n', '\r', 0x1f, ' ', '~', 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff};
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (0x20 + r.nextInt(0x5f));
            }
            for (int k = r.nextInt(3); k > 0 && b.length > 0; k--) {
                b[r.nextInt(b.length)] = specials[r.nextInt(specials.length)];
            }
            boolean expected = true;
            for (byte x : b) {
                expected &= (x >= 0x20 && x < 0x7f) || x == '\t' || x == '\r';
            }
            assertThat(AuditEventParser.isPlainAscii(b)).as(java.util.Arrays.toString(b)).isEqualTo(expected);
        }
    }
}
