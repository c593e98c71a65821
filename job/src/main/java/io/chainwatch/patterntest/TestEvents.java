package io.chainwatch.patterntest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.ingest.AuditTimestamps;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Completes the partial audit events that pattern tests are written with, so that authors state only what
 * matters: everything they leave out gets a neutral, valid default.
 */
public final class TestEvents {

    /** Time zero of every test timeline. */
    public static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private TestEvents() {}

    /**
     * Fills in kind, apiVersion, level, auditID (stable per test and position), stage (ResponseComplete),
     * timestamps (BASE + at), responseStatus.code (200) and the authorization decision (allow below 400,
     * forbid for 401/403).
     */
    public static ObjectNode complete(ObjectNode partial, long atMicros, String idSeed) {
        ObjectNode e = partial.deepCopy();
        putIfAbsent(e, "kind", "Event");
        putIfAbsent(e, "apiVersion", "audit.k8s.io/v1");
        boolean hasBody = e.has("requestObject") || e.has("responseObject");
        putIfAbsent(e, "level", hasBody ? "RequestResponse" : "Metadata");
        putIfAbsent(e, "auditID", UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8)).toString());
        putIfAbsent(e, "stage", "ResponseComplete");
        long micros = AuditTimestamps.parseMicros(BASE.toString()) + atMicros;
        String ts = AuditTimestamps.formatMicros(micros);
        putIfAbsent(e, "requestReceivedTimestamp", ts);
        putIfAbsent(e, "stageTimestamp", ts);
        if (!e.has("responseStatus")) {
            e.putObject("responseStatus").put("code", 200);
        }
        int code = e.path("responseStatus").path("code").asInt(200);
        JsonNode ann = e.get("annotations");
        ObjectNode annotations = ann instanceof ObjectNode ? (ObjectNode) ann : e.putObject("annotations");
        if (!annotations.has("authorization.k8s.io/decision")) {
            annotations.put("authorization.k8s.io/decision", code == 401 || code == 403 ? "forbid" : "allow");
        }
        return e;
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.has(field)) {
            node.put(field, value);
        }
    }
}
