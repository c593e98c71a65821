package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import java.util.Map;
import java.util.TreeMap;

import static io.chainwatch.generate.AttackRequests.meta;
import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * RBACdoors / Stratus shape of S04, service-account form: a user who holds cluster-admin for a moment binds
 * cluster-admin (or admin/edit cluster-wide) to a service account under a masquerading name (often
 * {@code kube-system:default} with a binding called {@code kube-controller-manager}, or a fresh account), then
 * acts as the account: either mints a token for it and uses it from their own machine with kubectl or curl,
 * or runs a kubectl pod as the account whose pod-bound token drives kubectl. Evidence: the binding, the first
 * allowed request of the account (kubectl's discovery where the format logs non-resource paths).
 */
final class BoundServiceAccountScenario implements Scenario {
    static final String[] BINDINGS = {"kube-controller-manager", "system:kube-controller", "kube-scheduler-ext",
            "system:coredns-autoscaler", "metrics-server-admin"};
    static final String[] NEW_ACCOUNTS = {"kube-controller", "node-exporter-sa", "cloud-provider-sync"};

    @Override
    public String name() {
        return "bound-sa";
    }

    @Override
    public String patternId() {
        return "privileged-binding-then-bound-sa-used";
    }

    @Override
    public String description() {
        return "cluster-admin bound to a service account under a masquerading name, then the account used with kubectl/curl";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        boolean gke = c.profile.flavor == OutputFormat.GKE;
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "cluster-admin", "Group", c.profile.groupName("platform-operators")));
        String bindingName = r.pick(BINDINGS);
        if (!c.state.claim("clusterrolebinding/" + bindingName)) {
            bindingName = bindingName + "-" + r.suffix(4);
        }
        boolean fresh = r.chance(0.4);
        String ns = fresh && r.chance(0.3) ? "default" : "kube-system";
        String sa = fresh ? r.pick(NEW_ACCOUNTS) + "-" + r.suffix(4) : "default";
        String saUid = fresh ? r.uuid() : Rng.uuidOf(c.profile.seed, "sa/" + ns + "/default");
        double roll = r.nextDouble();
        String role = roll < 0.7 ? "cluster-admin" : roll < 0.85 ? "admin" : "edit";
        long at = t;
        if (r.chance(0.6)) {
            c.submit(c.request(me, at, "list", Res.CLUSTERROLEBINDINGS, null, null, null).uri("?limit=500"));
            at += r.range(5 * S, 60 * S);
        }
        if (fresh) {
            c.submit(AttackRequests.create(c, me, at, Res.SERVICEACCOUNTS, ns, sa,
                    of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", meta(sa, ns)), AttackRequests.KUBECTL_CREATE));
            at += r.range(5 * S, 60 * S);
        }
        // 1. the grant
        c.evidence(AttackRequests.create(c, me, at, Res.CLUSTERROLEBINDINGS, null, bindingName,
                AttackRequests.binding(bindingName, null, "ClusterRole", role, AttackRequests.saSubject(ns, sa)),
                r.chance(0.5) ? AttackRequests.KUBECTL_CREATE : AttackRequests.KUBECTL_APPLY));
        String reason = ClusterProfile.rbacReason("ClusterRoleBinding", bindingName, "ClusterRole", role, "ServiceAccount",
                sa + "/" + ns);
        at += r.range(10 * S, 120 * S);

        Identity as;
        if (r.chance(0.5)) {
            // a token carried out of the cluster
            AttackRequests.Minted minted = AttackRequests.tokenRequest(c, me, at, ns, sa, saUid,
                    r.chance(0.5) ? 3600L : 31_536_000L);
            c.submit(minted.request);
            Map<String, String[]> extra = new TreeMap<>();
            extra.put(Identity.CREDENTIAL_ID, new String[] {"JTI=" + minted.jti});
            as = Identity.serviceAccount(ns, sa, saUid, extra, new String[] {c.ip},
                    r.chance(0.5) ? c.kubectl : r.pick(TokenTheftScenario.CURL), reason);
            at = minted.request.completed + r.range(20 * S, 600 * S);
        } else {
            // a kubectl pod that runs as the account (the RBACdoors DaemonSet, one pod of it)
            Node node = r.pick(c.profile.nodes);
            String pod = "kube-controller-" + r.suffix(5);
            String podUid = r.uuid();
            Obj spec = of("serviceAccountName", sa, "nodeName", node.name, "tolerations", arr(of("operator", "Exists")),
                    "containers", arr(of("name", "kubectl", "image", "docker.io/bitnami/kubectl:1.31",
                            "command", arr("sh", "-c", "while true; do kubectl get pods -A; sleep 600; done"))));
            c.submit(AttackRequests.create(c, me, at, Res.PODS, ns, pod,
                    of("kind", "Pod", "apiVersion", "v1", "metadata", meta(pod, ns), "spec", spec), AttackRequests.KUBECTL_CREATE));
            long running = at + r.range(3 * S, 15 * S);
            String podIP = node.nextPodIP();
            Workloads.podStatus(c.sim, r, running, node, ns, pod, podUid, "kubectl", podIP, true);
            as = Identity.boundToken(ns, sa, saUid, pod, podUid, node.name, node.uid, r.nextLong(), new String[] {podIP},
                    "kubectl/v1.31.4 (linux/amd64) kubernetes/a78aa47", reason);
            at = running + r.range(2 * S, 10 * S);
        }

        // 2. the account at work: discovery (kubectl only), then reads and a write
        boolean first = true;
        if (as.userAgent.startsWith("kubectl/")) {
            Request api = c.sim.nonResource(r, as, at, "/api?timeout=32s");
            if (gke) {
                c.submit(api);
            } else {
                c.evidence(api);
                first = false;
            }
            c.submit(c.sim.nonResource(r, as, at + r.range(5_000, 30_000), "/apis?timeout=32s"));
            at += r.range(200_000, 2 * S);
        }
        Request pods = c.request(as, at, "list", Res.PODS, null, null, null).uri("?limit=500");
        if (first) {
            c.evidence(pods);
        } else {
            c.submit(pods);
        }
        at += r.range(5 * S, 60 * S);
        c.submit(c.request(as, at, "list", Res.SECRETS, "kube-system", null, null).uri("?limit=500"));
        if (r.chance(0.5)) {
            at += r.range(5 * S, 60 * S);
            c.submit(c.request(as, at, "list", Res.NODES, null, null, null).uri("?limit=500"));
        }
    }
}
