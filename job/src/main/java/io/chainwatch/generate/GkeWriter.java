package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * {@code gke}: Cloud Logging {@code LogEntry} objects of Cloud Audit Logs (service {@code k8s.io}), one per
 * line. GKE logs one entry per request: no RequestReceived stage, one entry per exec/attach/portforward (at
 * the upgrade), none for non-resource paths; {@code insertId} stands in for the auditID; users have no groups
 * or extra. Writes go to the {@code activity} log, reads to {@code data_access}.
 */
final class GkeWriter extends FormatWriter {
    private final Rng rng;
    private final String activity;
    private final String dataAccess;

    GkeWriter(ClusterProfile profile, OutputFiles files, Rng rng) {
        super(profile, files);
        this.rng = rng;
        this.activity = "projects/" + profile.gkeProject + "/logs/cloudaudit.googleapis.com%2Factivity";
        this.dataAccess = "projects/" + profile.gkeProject + "/logs/cloudaudit.googleapis.com%2Fdata_access";
    }

    /** Whether GKE would log this stage of this request at all. */
    static boolean logged(Request r, byte stage) {
        if (r.res == null || stage == Request.REQUEST_RECEIVED) {
            return false;
        }
        return stage == r.keptStage();
    }

    @Override
    void write(Request r, byte stage, long time) throws IOException {
        if (!logged(r, stage)) {
            uncounted(r, time);
            return;
        }
        JsonGenerator g = generator();
        boolean read = r.verb.equals("get") && !r.isStreaming() || r.verb.equals("list") || r.verb.equals("watch");
        String method = methodName(r);
        String resourceName = resourceName(r);
        g.writeStartObject();
        g.writeStringField("insertId", r.auditID);
        g.writeStringField("logName", read ? dataAccess : activity);
        g.writeFieldName("operation");
        g.writeStartObject();
        g.writeStringField("id", r.auditID);
        g.writeStringField("producer", "k8s.io");
        g.writeBooleanField("first", true);
        g.writeBooleanField("last", true);
        g.writeEndObject();
        g.writeFieldName("resource");
        g.writeStartObject();
        g.writeStringField("type", "k8s_cluster");
        g.writeFieldName("labels");
        g.writeStartObject();
        g.writeStringField("project_id", profile.gkeProject);
        g.writeStringField("location", profile.gkeLocation);
        g.writeStringField("cluster_name", profile.name);
        g.writeEndObject();
        g.writeEndObject();
        g.writeFieldName("timestamp");
        g.writeString(times.buffer(), 0, times.format(time, 6));
        g.writeFieldName("receiveTimestamp");
        g.writeString(times.buffer(), 0, times.format(time + rng.range(150_000, 2_500_000), 9));
        g.writeFieldName("labels");
        g.writeStartObject();
        g.writeStringField("authorization.k8s.io/decision", r.decision);
        if (r.reason != null && !r.reason.isEmpty()) {
            g.writeStringField("authorization.k8s.io/reason", r.reason);
        }
        if (r.command != null) {
            g.writeStringField("command.gke.io/command", r.command);
        }
        g.writeEndObject();
        g.writeFieldName("protoPayload");
        g.writeStartObject();
        g.writeStringField("@type", "type.googleapis.com/google.cloud.audit.AuditLog");
        g.writeStringField("serviceName", "k8s.io");
        g.writeStringField("methodName", method);
        g.writeStringField("resourceName", resourceName);
        g.writeFieldName("authenticationInfo");
        g.writeStartObject();
        g.writeStringField("principalEmail", r.user.username);
        g.writeEndObject();
        g.writeFieldName("authorizationInfo");
        g.writeStartArray();
        g.writeStartObject();
        g.writeStringField("permission", method);
        g.writeStringField("resource", resourceName);
        g.writeBooleanField("granted", r.decision.equals("allow"));
        g.writeEndObject();
        g.writeEndArray();
        g.writeFieldName("requestMetadata");
        g.writeStartObject();
        g.writeStringField("callerIp", r.sourceIPs[0]);
        if (r.userAgent != null) {
            g.writeStringField("callerSuppliedUserAgent", r.userAgent);
        }
        g.writeEndObject();
        g.writeFieldName("status");
        g.writeStartObject();
        if (r.code >= 400) {
            g.writeNumberField("code", rpcCode(r.code));
            g.writeStringField("message", rpcName(r.code));
        }
        g.writeEndObject();
        if (r.requestObject != null && r.level != Request.Level.METADATA) {
            g.writeFieldName("request");
            r.requestObject.write(g);
        }
        if (r.responseObject != null && r.level == Request.Level.REQUEST_RESPONSE && r.code < 400 && !r.isStreaming()) {
            g.writeFieldName("response");
            r.responseObject.write(g);
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeRaw('\n');
        counted(r, stage, time, true);
        maybeRoll();
    }

    /** {@code io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>}. */
    static String methodName(Request r) {
        StringBuilder sb = new StringBuilder(64).append("io.k8s.").append(r.res.gkeMethodGroup).append('.')
                .append(r.res.version).append('.').append(r.res.resource);
        if (r.subresource != null) {
            sb.append('.').append(r.subresource);
        }
        return sb.append('.').append(r.verb).toString();
    }

    /** {@code <group>/<version>/[namespaces/<ns>/]<resource>[/<name>[/<sub>]]} with group {@code core} for the core group. */
    static String resourceName(Request r) {
        StringBuilder sb = new StringBuilder(96).append(r.res.gkeResourceGroup).append('/').append(r.res.version);
        if (r.namespace != null) {
            sb.append("/namespaces/").append(r.namespace);
        }
        sb.append('/').append(r.res.resource);
        if (r.name != null) {
            sb.append('/').append(r.name);
            if (r.subresource != null) {
                sb.append('/').append(r.subresource);
            }
        }
        return sb.toString();
    }

    /** HTTP status → google.rpc.Code. */
    static int rpcCode(int http) {
        switch (http) {
            case 400: return 3;
            case 401: return 16;
            case 403: return 7;
            case 404: return 5;
            case 409: return 6;
            case 429: return 8;
            default: return 13;
        }
    }

    static String rpcName(int http) {
        switch (http) {
            case 400: return "INVALID_ARGUMENT";
            case 401: return "UNAUTHENTICATED";
            case 403: return "PERMISSION_DENIED";
            case 404: return "NOT_FOUND";
            case 409: return "ALREADY_EXISTS";
            case 429: return "RESOURCE_EXHAUSTED";
            default: return "INTERNAL";
        }
    }
}
