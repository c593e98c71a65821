package io.chainwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** Recognises which source envelope a JSON document is (per line, so mixed files work). */
final class Envelopes {

    private Envelopes() {}

    /** The kind of document, as far as the JSON shape says. */
    enum Kind {
        AUDIT_EVENT, AUDIT_EVENT_LIST,
        AKS_RECORDS, AKS_RECORD, AKS_DIAGNOSTICS_ROW, AKS_AUDIT_ROW,
        EKS_SUBSCRIPTION, EKS_EVENTS,
        GKE_LOG_ENTRY,
        UNKNOWN;

        SourceFormat format() {
            switch (this) {
                case AKS_RECORDS:
                case AKS_RECORD:
                case AKS_DIAGNOSTICS_ROW:
                case AKS_AUDIT_ROW:
                    return SourceFormat.AKS;
                case EKS_SUBSCRIPTION:
                case EKS_EVENTS:
                    return SourceFormat.EKS;
                case GKE_LOG_ENTRY:
                    return SourceFormat.GKE;
                default:
                    return SourceFormat.AUDIT;
            }
        }
    }

    static Kind classify(JsonNode o) {
        if (!o.isObject()) {
            return Kind.UNKNOWN;
        }
        if (o.path("records").isArray()) {
            return Kind.AKS_RECORDS;
        }
        if (o.has("category") && o.path("properties").has("log")) {
            return Kind.AKS_RECORD; // one diagnostic record on its own (storage account blobs, per-record exports)
        }
        if (o.path("logEvents").isArray() || o.has("messageType")) {
            return Kind.EKS_SUBSCRIPTION;
        }
        if (o.path("events").isArray()) {
            return Kind.EKS_EVENTS;
        }
        if (GkeLogEntries.isLogEntry(o)) {
            return Kind.GKE_LOG_ENTRY;
        }
        if (o.has("log_s") && (o.has("Category") || o.has("category"))) {
            return Kind.AKS_DIAGNOSTICS_ROW;
        }
        if (o.has("AuditId")) {
            return Kind.AKS_AUDIT_ROW;
        }
        if ("EventList".equals(o.path("kind").asText(null))) {
            return Kind.AUDIT_EVENT_LIST;
        }
        return Kind.AUDIT_EVENT;
    }

    /** The cluster name in an AKS resource id (.../MANAGEDCLUSTERS/<name>), lower-cased, or null. */
    static String aksCluster(String resourceId) {
        if (resourceId == null) {
            return null;
        }
        int i = resourceId.toUpperCase(Locale.ROOT).lastIndexOf("/MANAGEDCLUSTERS/");
        if (i < 0) {
            return null;
        }
        String rest = resourceId.substring(i + "/MANAGEDCLUSTERS/".length());
        int slash = rest.indexOf('/');
        return (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    /** The cluster name in an EKS log group (/aws/eks/<name>/cluster), or null. */
    static String eksCluster(String logGroup) {
        if (logGroup == null || !logGroup.startsWith("/aws/eks/")) {
            return null;
        }
        String rest = logGroup.substring("/aws/eks/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
