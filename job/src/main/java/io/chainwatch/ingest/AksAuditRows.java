package io.chainwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Map;

/**
 * Maps a row of the AKS resource-specific Log Analytics table {@code AKSAudit} (or {@code AKSAuditAdmin}),
 * exported as JSON, onto the audit.k8s.io Event shape. Dynamic columns may arrive as objects or as JSON text;
 * AKS writes {@code "skipped-too-big-size-object"} for bodies it did not keep, which stays absent.
 */
final class AksAuditRows {

    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("AuditId", "auditID"), Map.entry("Level", "level"), Map.entry("Stage", "stage"),
            Map.entry("RequestUri", "requestURI"), Map.entry("Verb", "verb"), Map.entry("User", "user"),
            Map.entry("ImpersonatedUser", "impersonatedUser"), Map.entry("SourceIps", "sourceIPs"),
            Map.entry("UserAgent", "userAgent"), Map.entry("ObjectRef", "objectRef"),
            Map.entry("ResponseStatus", "responseStatus"), Map.entry("RequestObject", "requestObject"),
            Map.entry("ResponseObject", "responseObject"), Map.entry("RequestReceivedTime", "requestReceivedTimestamp"),
            Map.entry("StageReceivedTime", "stageTimestamp"), Map.entry("Annotations", "annotations"));

    private AksAuditRows() {}

    static ObjectNode toAuditEvent(JsonNode row) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("kind", "Event");
        e.put("apiVersion", "audit.k8s.io/v1");
        COLUMNS.forEach((column, field) -> {
            JsonNode v = row.get(column);
            if (v == null || v.isNull()) {
                return;
            }
            if (v.isTextual() && (field.equals("user") || field.equals("impersonatedUser") || field.equals("sourceIPs")
                    || field.equals("objectRef") || field.equals("responseStatus") || field.equals("annotations")
                    || field.equals("requestObject") || field.equals("responseObject"))) {
                String text = v.textValue().strip();
                if (!(text.startsWith("{") || text.startsWith("["))) {
                    return; // e.g. "skipped-too-big-size-object": the body was not kept
                }
                try {
                    v = JsonSupport.mapper().readTree(text);
                } catch (IOException bad) {
                    return;
                }
            }
            e.set(field, v);
        });
        return e;
    }
}
