package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Node;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Node foothold, then the tokens found on the node (S28; Palo Alto Networks' research on powerful DaemonSet
 * tokens, Unit 42 Siloscape and Hildegard's follow-on token reuse): someone creates a pod pinned to a node that
 * reaches the node (the kubelet's directory mounted, or privileged with host PID, or the node's /),
 * opens a shell in it, collects the projected service-account tokens under
 * {@code /var/lib/kubelet/pods/*}/volumes/kubernetes.io~projected, and uses one of them (kube-proxy's, an
 * add-on's or an app's; bound to a pod on that node: user.extra node-name) with kubectl or curl, from the node
 * or exfiltrated to their own machine: discovery, a permission review, secrets. Evidence: the pod create, the
 * first request with a harvested token. The instance reserves its node for the run so that other node-access
 * pods (node-breakout, debug-node-attach) do not start the chain there first. Not expressible on GKE (no
 * user.extra there).
 */
final class NodeTokenMisuseScenario implements Scenario {
    static final String[] NAMES = {"log-collector-", "node-exporter-debug-", "fluentbit-tmp-", "kubelet-check-",
            "disk-usage-"};
    static final String[] IMAGES = {"docker.io/library/alpine:3.20", "docker.io/library/busybox:1.36",
            "docker.io/library/ubuntu:24.04"};

    @Override
    public String name() {
        return "node-token-misuse";
    }

    @Override
    public String patternId() {
        return "node-foothold-then-node-token-misuse";
    }

    @Override
    public String description() {
        return "node-access pod pinned to a node, then a token of another pod on that node used with kubectl/curl";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    /** Reserves a node no other instance took, preferably one without pods of apps that exec scenarios target. */
    @Override
    public void prepare(ScenarioContext c) {
        List<Node> nodes = c.profile.nodes;
        int first = c.rng.nextInt(nodes.size());
        Node chosen = null;
        for (int pass = 0; pass < 2 && chosen == null; pass++) {
            for (int i = 0; i < nodes.size() && chosen == null; i++) {
                Node n = nodes.get((first + i) % nodes.size());
                if (c.state.claimed(ClusterState.FOOTHOLD_NODE + n.name)) {
                    continue;
                }
                boolean busy = false;
                for (Pod pod : c.state.podsOn(n)) {
                    busy |= pod.app.execReserved;
                }
                if (pass == 1 || !busy) {
                    chosen = n;
                }
            }
        }
        if (chosen == null) {
            chosen = nodes.get(first);
        }
        c.state.claim(ClusterState.FOOTHOLD_NODE + chosen.name);
        c.target = chosen;
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Node node = (Node) c.target;
        String ns = r.chance(0.75) ? "default" : "kube-system";
        String pod = r.pick(NAMES) + r.suffix(5);
        c.state.claim("pod/" + ns + "/" + pod);
        Identity me = c.attacker("ops", ClusterProfile.rbacReason("ClusterRoleBinding", "ops-operators", "ClusterRole",
                "ops-operator", "Group", p.groupName("ops")));

        // the foothold: one of three ways onto the node, pinned with nodeName
        int variant = r.nextInt(3);
        Obj container = of("name", "main", "image", r.pick(IMAGES), "command", arr("sleep", "infinity"));
        Obj spec = of("nodeName", node.name);
        List<Object> volumes = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        boolean hostNetwork = false;
        switch (variant) {
            case 0: // the kubelet's directory: every projected token on the node is under pods/
                volumes.add(of("name", "kubelet", "hostPath", of("path", "/var/lib/kubelet", "type", "Directory")));
                container.put("volumeMounts", arr(of("name", "kubelet", "mountPath", "/host/kubelet", "readOnly", true)));
                violations.add("hostPath volumes (volume \"kubelet\")");
                if (r.chance(0.5)) {
                    spec.put("hostNetwork", true);
                    hostNetwork = true;
                    violations.add(0, "host namespaces (hostNetwork=true)");
                }
                break;
            case 1: // privileged with the host's PID namespace: nsenter into the node
                spec.put("hostPID", true);
                container.put("securityContext", of("privileged", true));
                violations.add("host namespaces (hostPID=true)");
                violations.add("privileged (container \"main\" must not set securityContext.privileged=true)");
                break;
            default: // the node's root filesystem
                volumes.add(of("name", "host", "hostPath", of("path", "/")));
                container.put("volumeMounts", arr(of("name", "host", "mountPath", "/host")));
                spec.put("hostNetwork", true);
                hostNetwork = true;
                violations.add("host namespaces (hostNetwork=true)");
                violations.add("hostPath volumes (volume \"host\")");
                break;
        }
        spec.put("tolerations", arr(of("operator", "Exists")));
        spec.put("containers", arr(container));
        if (!volumes.isEmpty()) {
            spec.put("volumes", volumes);
        }
        String podUid = r.uuid();
        Obj meta = of("name", pod, "namespace", ns, "creationTimestamp", null, "labels", of("app", pod.substring(0, pod.length() - 6)));
        Obj req = of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", "Pod", "apiVersion", "v1",
                "metadata", meta.with("uid", podUid, "resourceVersion", c.state.nextResourceVersion(),
                        "creationTimestamp", Times.rfc3339Seconds(t)),
                "spec", Workloads.defaulted(spec, node.name), "status", of("phase", "Pending", "qosClass", "BestEffort"));
        long at = t;
        c.evidence(c.request(me, at, "create", Res.PODS, ns, pod, null)
                .uri("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict").bodies(req, resp)
                .annotate("pod-security.kubernetes.io/audit-violations",
                        "would violate PodSecurity \"baseline:latest\": " + String.join(", ", violations),
                        "pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
        String podIP = hostNetwork ? node.ip : node.nextPodIP();
        long running = at + r.range(2 * S, 9 * S);
        Workloads.podStatus(c.sim, r, running, node, ns, pod, podUid, "main", podIP, true);

        // a shell in it, to find the tokens
        at = running + r.range(10 * S, 60 * S);
        String query = variant == 1
                ? "?command=nsenter&command=-t&command=1&command=-m&command=-u&command=-i&command=-n&command=sh"
                + "&container=main&stdin=true&stdout=true&tty=true"
                : "?command=sh&container=main&stdin=true&stdout=true&tty=true";
        Request exec = c.sim.streaming(r, me, at, c.websocket, ns, pod, "exec", query, (long) ((240 + r.exp(300)) * S));
        exec.command = HumanActivity.commandOf(query);
        c.submit(exec);

        // a harvested token: an add-on's or an app's pod on this node, else kube-proxy's
        Identity harvested = harvest(c, node);
        boolean exfiltrated = r.chance(0.4);
        boolean curl = r.chance(0.4);
        String ua = curl ? r.pick(TokenTheftScenario.CURL)
                : exfiltrated ? c.kubectl : "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46";
        Identity token = harvested.from(new String[] {exfiltrated ? c.ip : podIP}, ua);
        at = exec.started + r.range(40 * S, 180 * S);
        if (!curl) {
            c.evidence(c.sim.nonResource(r, token, at, "/api?timeout=32s"));
            c.submit(c.sim.nonResource(r, token, at + r.range(3_000, 20_000), "/apis?timeout=32s"));
            at += r.range(200_000, 2 * S);
            c.submit(rulesReview(c, token, at));
        } else {
            c.evidence(rulesReview(c, token, at));
        }
        at += r.range(5 * S, 60 * S);
        c.submit(c.request(token, at, "list", Res.SECRETS, null, null, null).uri(curl ? "" : "?limit=500").forbidden());
        at += r.range(5 * S, 60 * S);
        c.submit(c.request(token, at, "list", Res.PODS, null, null, null).uri(curl ? "" : "?limit=500").forbidden());
        if (r.chance(0.6)) {
            c.submit(c.request(me, exec.completed + r.range(10 * S, 300 * S), "delete", Res.PODS, ns, pod, null));
        }
    }

    private static Identity harvest(ScenarioContext c, Node node) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        List<Identity> found = new ArrayList<>();
        for (Identity dns : p.dnsPods) {
            if (node.name.equals(dns.extra("authentication.kubernetes.io/node-name"))) {
                found.add(dns);
            }
        }
        if (node.name.equals(p.metricsServer.extra("authentication.kubernetes.io/node-name"))) {
            found.add(p.metricsServer);
        }
        for (Pod pod : c.state.podsOn(node)) {
            App app = pod.app;
            if (!app.execReserved) {
                found.add(pod.token(p));
            }
        }
        return found.isEmpty() || r.chance(0.3) ? node.kubeProxy : r.pick(found);
    }

    private static Request rulesReview(ScenarioContext c, Identity token, long at) {
        Obj req = of("kind", "SelfSubjectRulesReview", "apiVersion", "authorization.k8s.io/v1",
                "metadata", of("creationTimestamp", null), "spec", of("namespace", "default"),
                "status", of("resourceRules", null, "nonResourceRules", null, "incomplete", false));
        Obj resp = req.with("status", of("resourceRules", arr(of("verbs", arr("create"), "apiGroups", arr("authorization.k8s.io"),
                        "resources", arr("selfsubjectaccessreviews", "selfsubjectrulesreviews"))),
                "nonResourceRules", arr(of("verbs", arr("get"), "nonResourceURLs", arr("/api", "/api/*", "/apis", "/apis/*",
                        "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))),
                "incomplete", false));
        return c.request(token, at, "create", Res.SELFSUBJECTRULESREVIEWS, null, null, null).bodies(req, resp);
    }
}
