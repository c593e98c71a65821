package io.chainwatch.ingest;

/** The envelope an audit event arrived in. */
public enum SourceFormat {
    /** Raw audit.k8s.io Event / EventList (log and webhook backends). */
    AUDIT("audit"),
    /** AKS diagnostic records (Event Hubs / storage) and Log Analytics exports (AzureDiagnostics, AKSAudit). */
    AKS("aks"),
    /** EKS CloudWatch Logs: subscription payloads (also base64+gzip) and FilterLogEvents exports. */
    EKS("eks"),
    /** GKE Cloud Audit Logs LogEntry (protoPayload, service k8s.io). */
    GKE("gke");

    public final String keyword;

    SourceFormat(String keyword) {
        this.keyword = keyword;
    }

    public static SourceFormat of(String keyword) {
        for (SourceFormat f : values()) {
            if (f.keyword.equalsIgnoreCase(keyword)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + keyword + "' (audit, aks, eks, gke or auto)");
    }
}
