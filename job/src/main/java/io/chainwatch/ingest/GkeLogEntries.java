package io.chainwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * Maps a GKE Cloud Audit Logs {@code LogEntry} (service {@code k8s.io}) onto the audit.k8s.io Event shape.
 * What GKE does not record stays absent rather than invented: user groups and extra (so no pod-bound token
 * correlation), the request URI, the HTTP code of successes (taken as 200), stage timestamps (the entry's
 * timestamp is used for both).
 */
final class GkeLogEntries {

    private static final Set<String> STREAMING = Set.of("exec", "attach", "portforward");

    private GkeLogEntries() {}

    static boolean isLogEntry(JsonNode o) {
        return o.path("protoPayload").isObject();
    }

    static String service(JsonNode o) {
        return o.path("protoPayload").path("serviceName").asText("");
    }

    static String cluster(JsonNode o) {
        JsonNode name = o.path("resource").path("labels").path("cluster_name");
        return name.isTextual() ? name.textValue() : null;
    }

    /** The audit-shaped event, or throws {@link IllegalArgumentException} with what is missing. */
    static ObjectNode toAuditEvent(JsonNode entry) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode p = entry.path("protoPayload");
        String method = p.path("methodName").asText("");
        if (!method.startsWith("io.k8s.")) {
            throw new IllegalArgumentException("protoPayload.methodName '" + method + "' is not a Kubernetes API method");
        }
        ObjectNode e = f.objectNode();
        e.put("kind", "Event");
        e.put("apiVersion", "audit.k8s.io/v1");
        e.set("auditID", entry.get("insertId"));
        e.put("verb", method.substring(method.lastIndexOf('.') + 1));
        ObjectNode ref = objectRef(p.path("resourceName").asText(""));
        String sub = ref.path("subresource").asText("");
        e.put("stage", STREAMING.contains(sub) ? "ResponseStarted" : "ResponseComplete");
        boolean request = p.path("request").isObject();
        boolean response = p.path("response").isObject();
        e.put("level", response ? "RequestResponse" : request ? "Request" : "Metadata");
        ObjectNode user = e.putObject("user");
        JsonNode principal = p.path("authenticationInfo").path("principalEmail");
        if (principal.isTextual()) {
            user.put("username", principal.textValue());
        }
        JsonNode ip = p.path("requestMetadata").path("callerIp");
        if (ip.isTextual()) {
            e.putArray("sourceIPs").add(ip.textValue());
        }
        JsonNode ua = p.path("requestMetadata").path("callerSuppliedUserAgent");
        if (ua.isTextual()) {
            e.put("userAgent", ua.textValue());
        }
        if (ref.size() > 0) {
            e.set("objectRef", ref);
        }
        e.putObject("responseStatus").put("code", httpCode(p.path("status")));
        if (entry.path("labels").isObject()) {
            e.set("annotations", entry.get("labels"));
        }
        if (request) {
            e.set("requestObject", p.get("request"));
        }
        if (response) {
            e.set("responseObject", p.get("response"));
        }
        JsonNode ts = entry.get("timestamp");
        if (ts != null) {
            e.set("requestReceivedTimestamp", ts);
            e.set("stageTimestamp", ts);
        }
        return e;
    }

    /** {@code <group>/<version>/[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]}; group "core" is the core group. */
    static ObjectNode objectRef(String resourceName) {
        ObjectNode ref = JsonNodeFactory.instance.objectNode();
        String[] parts = resourceName.split("/");
        if (parts.length < 3) {
            return ref;
        }
        String group = parts[0];
        ref.put("apiGroup", group.equals("core") ? "" : group);
        ref.put("apiVersion", parts[1]);
        int i = 2;
        if (parts.length > 4 && parts[2].equals("namespaces")) {
            ref.put("namespace", parts[3]);
            i = 4;
        }
        ref.put("resource", parts[i]);
        if (parts.length > i + 1) {
            ref.put("name", parts[i + 1]);
        }
        if (parts.length > i + 2) {
            ref.put("subresource", parts[i + 2]);
        }
        if (i == 2 && parts.length == 4 && parts[2].equals("namespaces")) {
            // namespaces/<name>: the namespace object itself
            ref.put("resource", "namespaces");
            ref.put("name", parts[3]);
        }
        return ref;
    }

    /** google.rpc.Code → HTTP status (success as 200: GKE does not say whether it was 200 or 201). */
    static int httpCode(JsonNode status) {
        int code = status.path("code").asInt(0);
        switch (code) {
            case 0: return 200;
            case 3: return 400;
            case 5: return 404;
            case 6: return 409;
            case 7: return 403;
            case 9: return 412;
            case 16: return 401;
            case 8: return 429;
            default: return 500;
        }
    }
}
