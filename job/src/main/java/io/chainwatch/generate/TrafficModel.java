package io.chainwatch.generate;

/**
 * The rates of the background model, in one place (docs/generator.md explains them). Periods are exact with a
 * small jitter; "mean" values are exponential (Poisson) gaps; "peak" values are scaled by the diurnal curve.
 */
final class TrafficModel {
    private TrafficModel() {}

    static final long S = Times.SECOND;

    // control plane: constant
    /** kube-controller-manager and kube-scheduler leader-election lease renewals. */
    static final long CONTROL_PLANE_LEASE_PERIOD = 2 * S;
    /** Each kubelet renews its node lease. */
    static final long NODE_LEASE_PERIOD = 10 * S;
    /** Each kubelet patches nodes/status (condition heartbeats). */
    static final long NODE_STATUS_PERIOD = 60 * S;
    /** Each kubelet fetches a configmap or secret of one of its pods. */
    static final double KUBELET_OBJECT_GET_MEAN_S = 30;
    /** Each kubelet patches a pod's status outside rollouts (probe flaps, restarts). */
    static final double KUBELET_POD_STATUS_MEAN_S = 300;
    /** Each kubelet authenticates and authorizes scrapes (webhook cache misses). */
    static final double KUBELET_TOKENREVIEW_MEAN_S = 120;
    static final double KUBELET_SUBJECTACCESSREVIEW_MEAN_S = 300;
    /** Watches are re-established when their server-side timeout (uniform in this range) expires. */
    static final long WATCH_TIMEOUT_MIN = 300 * S;
    static final long WATCH_TIMEOUT_MAX = 600 * S;
    /** EndpointSlice updates outside rollouts. */
    static final double ENDPOINTSLICE_MEAN_S = 120;
    /** The HPA controller reads pod metrics of each autoscaled app. */
    static final long HPA_PERIOD = 15 * S;
    /** API-server health probes (/livez and /readyz each). */
    static final long PROBE_PERIOD = 10 * S;
    /** A cluster DNS or metrics-server informer relists (watch expired too far behind). */
    static final double ADDON_RELIST_MEAN_S = 3 * 3600;
    /** Apps that use the API read their configmap with their pod's token, per pod. */
    static final long APP_CLIENT_PERIOD = 60 * S;
    /** The managed cloud's agent (AKS, EKS, GKE). */
    static final double PLATFORM_AGENT_MEAN_S = 90;
    /** The GitOps controller refreshes each namespace it manages. */
    static final long GITOPS_REFRESH_PERIOD = 180 * S;

    // people and what they trigger: diurnal, at the weekday peak
    /** GitOps syncs that change a workload, per hour. */
    static final double GITOPS_SYNCS_PER_HOUR_PEAK = 2;
    /** Helm upgrades from CI, per hour. */
    static final double HELM_DEPLOYS_PER_HOUR_PEAK = 4;
    /** kubectl sessions per hour for the whole team of a production cluster (split by Zipf activity). */
    static final double HUMAN_SESSIONS_PER_HOUR_PEAK = 12;
    /** Non-production clusters see less of the team. */
    static final double NON_PROD_HUMAN_FACTOR = 0.5;

    // rare legitimate admin work, per cluster, office hours only
    /** A break-glass ClusterRoleBinding of an on-call group to cluster-admin (removed about an hour later). */
    static final double BREAK_GLASS_PER_WEEK = 1;
    /** {@code kubectl debug node/...} by an administrator: host-namespace pod, then attach. */
    static final double DEBUG_NODE_PER_WEEK = 2;
}
