package io.chainwatch.generate;

/** kube-apiserver's own log lines (klog text), which AKS ships in the same Event Hub as the audit records. */
final class Klog {
    private static final String[][] MESSAGES = {
            {"I", "controller.go:615", "quota admission added evaluator for: leases.coordination.k8s.io"},
            {"I", "controller.go:615", "quota admission added evaluator for: endpointslices.discovery.k8s.io"},
            {"I", "alloc.go:330", "\"allocated clusterIPs\" service=\"shop/web\" clusterIPs={\"IPv4\":\"10.0.118.5\"}"},
            {"I", "cacher.go:1159", "\"Terminating all watchers from cacher\" resource=\"replicasets.apps\""},
            {"W", "watcher.go:342", "watch chan error: etcdserver: mvcc: required revision has been compacted"},
            {"I", "handler.go:286", "Adding GroupVersion metrics.k8s.io v1beta1 to ResourceManager"},
            {"E", "authentication.go:73", "\"Unable to authenticate the request\" err=\"[invalid bearer token, service account token has expired]\""},
            {"I", "trace.go:236", "Trace[1843370413]: \"Update\" accept:application/vnd.kubernetes.protobuf, */*,audit-id:,client:10.0.0.10,protocol:HTTP/2.0,resource:leases (total time: 612ms):"},
            {"W", "dispatcher.go:225", "Failed calling webhook, failing closed validate.nginx.ingress.kubernetes.io: context deadline exceeded"},
    };

    private Klog() {}

    /** {@code I1101 10:00:00.123456       1 controller.go:615] message\n}. */
    static String line(Rng rng, long micros, Times times) {
        String[] m = MESSAGES[rng.nextInt(MESSAGES.length)];
        char[] b = times.buffer();
        times.format(micros, 6); // 2026-11-01T10:00:00.123456Z
        StringBuilder sb = new StringBuilder(160);
        sb.append(m[0]).append(b, 5, 2).append(b, 8, 2).append(' ').append(b, 11, 15)
                .append("       1 ").append(m[1]).append("] ").append(m[2]).append('\n');
        return sb.toString();
    }
}
