package io.chainwatch.generate;

/** A Kubernetes API resource: where its URLs live and how GKE names its methods. */
final class Res {
    final String group;
    final String version;
    final String resource;
    final boolean namespaced;
    /** {@code /api/v1} or {@code /apis/<group>/<version>}. */
    final String prefix;
    /** The group as GKE writes it in method names: {@code core}, {@code apps}, {@code authorization.rbac}. */
    final String gkeMethodGroup;
    /** The group as GKE writes it in resource names: {@code core}, {@code apps}, {@code rbac.authorization.k8s.io}. */
    final String gkeResourceGroup;

    private Res(String group, String version, String resource, boolean namespaced) {
        this.group = group;
        this.version = version;
        this.resource = resource;
        this.namespaced = namespaced;
        this.prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        this.gkeResourceGroup = group.isEmpty() ? "core" : group;
        this.gkeMethodGroup = methodGroup(group);
    }

    /** {@code rbac.authorization.k8s.io} → {@code authorization.rbac}; {@code coordination.k8s.io} → {@code coordination}. */
    static String methodGroup(String group) {
        if (group.isEmpty()) {
            return "core";
        }
        String g = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        String[] parts = g.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            sb.append(parts[i]);
            if (i > 0) {
                sb.append('.');
            }
        }
        return sb.toString();
    }

    static final Res PODS = new Res("", "v1", "pods", true);
    static final Res NODES = new Res("", "v1", "nodes", false);
    static final Res NAMESPACES = new Res("", "v1", "namespaces", false);
    static final Res SERVICES = new Res("", "v1", "services", true);
    static final Res CONFIGMAPS = new Res("", "v1", "configmaps", true);
    static final Res SECRETS = new Res("", "v1", "secrets", true);
    static final Res SERVICEACCOUNTS = new Res("", "v1", "serviceaccounts", true);
    static final Res EVENTS = new Res("", "v1", "events", true);
    static final Res LEASES = new Res("coordination.k8s.io", "v1", "leases", true);
    static final Res ENDPOINTSLICES = new Res("discovery.k8s.io", "v1", "endpointslices", true);
    static final Res DEPLOYMENTS = new Res("apps", "v1", "deployments", true);
    static final Res REPLICASETS = new Res("apps", "v1", "replicasets", true);
    static final Res POD_METRICS = new Res("metrics.k8s.io", "v1beta1", "pods", true);
    static final Res NODE_METRICS = new Res("metrics.k8s.io", "v1beta1", "nodes", false);
    static final Res CLUSTERROLES = new Res("rbac.authorization.k8s.io", "v1", "clusterroles", false);
    static final Res CLUSTERROLEBINDINGS = new Res("rbac.authorization.k8s.io", "v1", "clusterrolebindings", false);
    static final Res TOKENREVIEWS = new Res("authentication.k8s.io", "v1", "tokenreviews", false);
    static final Res SUBJECTACCESSREVIEWS = new Res("authorization.k8s.io", "v1", "subjectaccessreviews", false);
    static final Res SELFSUBJECTRULESREVIEWS = new Res("authorization.k8s.io", "v1", "selfsubjectrulesreviews", false);
    static final Res DAEMONSETS = new Res("apps", "v1", "daemonsets", true);
    static final Res CRONJOBS = new Res("batch", "v1", "cronjobs", true);
    static final Res ROLES = new Res("rbac.authorization.k8s.io", "v1", "roles", true);
    static final Res ROLEBINDINGS = new Res("rbac.authorization.k8s.io", "v1", "rolebindings", true);
    static final Res CSRS = new Res("certificates.k8s.io", "v1", "certificatesigningrequests", false);

    /** The request path (no query) for an object, a collection (name null) or a subresource. */
    String path(String namespace, String name, String subresource) {
        StringBuilder sb = new StringBuilder(96).append(prefix);
        if (namespaced && namespace != null) {
            sb.append("/namespaces/").append(namespace);
        }
        sb.append('/').append(resource);
        if (name != null) {
            sb.append('/').append(name);
            if (subresource != null) {
                sb.append('/').append(subresource);
            }
        }
        return sb.toString();
    }
}
