package io.chainwatch.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretScrubberTest {

    static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBsYW50ZWQ";

    @Test
    void scrubsTokensCredentialValuesAndSecretDataInBrokenText() {
        String broken = "{\"kind\":\"Secret\",\"data\":{\"password\":\"aHVudGVyMg==\"},\"stringData\":{\"k\":\"plain-planted\"},"
                + "\"spec\":{\"token\":\"" + JWT + "\"},\"note\":\"Bearer " + JWT + "\",\"cut";
        String out = SecretScrubber.scrub(broken);
        assertThat(out).doesNotContain("aHVudGVyMg==").doesNotContain("plain-planted").doesNotContain("c2lnbmF0dXJlLXBsYW50ZWQ")
                .contains("\"data\":\"[REDACTED]\"").contains("[REDACTED:JWT]").contains("\"cut");
        String escaped = "{\"records\":[{\"properties\":{\"log\":\"{\\\"data\\\":{\\\"pw\\\":\\\"c2VjcmV0\\\"},\\\"password\\\":\\\"hunter2-planted\\\"";
        assertThat(SecretScrubber.scrub(escaped)).doesNotContain("c2VjcmV0").doesNotContain("hunter2-planted");
    }

    @Test
    void redactsTokenReviewsJwtsAnywhereAndUrlCredentials() {
        AuditEventParserTest.Collected c = new AuditEventParserTest.Collected();
        String event = "{\"auditID\":\"t\",\"verb\":\"create\",\"stage\":\"ResponseComplete\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\","
                + "\"objectRef\":{\"resource\":\"tokenreviews\"},\"requestObject\":{\"kind\":\"TokenReview\",\"spec\":{\"token\":\"opaque-planted-token\"}},"
                + "\"responseObject\":{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"env\":[{\"name\":\"T\",\"value\":\"" + JWT + "\"}],"
                + "\"args\":[\"--url=https://admin:pa55-planted@vault.example.com/v1\"]}]}}}";
        new AuditEventParser("c", 4096).parse(RawRecord.of("x", 1, event.getBytes(java.nio.charset.StandardCharsets.UTF_8)), c);
        AuditEvent e = c.events.get(0);
        assertThat(e.requestObject).doesNotContain("opaque-planted-token").contains("[REDACTED:20]");
        assertThat(e.responseObject).doesNotContain("c2lnbmF0dXJlLXBsYW50ZWQ").doesNotContain("pa55-planted")
                .contains("[REDACTED:JWT]").contains("https://[REDACTED]@vault.example.com/v1");
    }
}
