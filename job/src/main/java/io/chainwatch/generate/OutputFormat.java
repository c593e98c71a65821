package io.chainwatch.generate;

import java.util.Locale;

/** What the generator writes, and which kind of cluster it pretends to be. */
public enum OutputFormat {
    /** Self-managed (kubeadm-style) cluster, audit.k8s.io/v1 Events, one per line. */
    NDJSON("ndjson"),
    /** AKS: Azure diagnostic records as Event Hubs delivers them ({"records": [...]} per line). */
    AKS("aks"),
    /** EKS: CloudWatch Logs subscription payloads, decoded (one per line). */
    EKS("eks"),
    /** GKE: Cloud Logging LogEntry objects (Cloud Audit Logs), one per line. */
    GKE("gke");

    public final String keyword;

    OutputFormat(String keyword) {
        this.keyword = keyword;
    }

    public static OutputFormat of(String text) {
        for (OutputFormat f : values()) {
            if (f.keyword.equals(text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format must be ndjson, aks, eks or gke, not '" + text + "'");
    }
}
