package io.chainwatch.generate;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.AttackRequests.meta;
import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Exposed API server, anonymous cryptojacking (S01; CrowdStrike's Dero campaign, the RBACdoors initial access
 * re-enacted at KubeCon NA 2023): {@code system:anonymous} has been bound to cluster-admin, and a scanner finds
 * the API: {@code /version}, discovery, lists of namespaces, pods, nodes and DaemonSets, sometimes deletes a
 * competitor's miner DaemonSet, then creates its own miner as a DaemonSet (or Deployment, or pod) with a
 * masquerading name, and checks on it. A third of the scanners send a forged X-Forwarded-For. Evidence: the
 * first probe (the first resource request on GKE, which logs no non-resource paths), the competitor deletion
 * when there is one, the workload create.
 */
final class AnonymousDiscoveryScenario implements Scenario {
    static final String[] AGENTS = {"python-requests/2.31.0", "Go-http-client/1.1", "curl/7.88.1", "python-requests/2.28.2"};
    static final String[] NAMES = {"proxy-api", "kube-ctrl", "kube-proxy-cache", "node-agent", "metrics-sidecar"};
    static final String[] COMPETITORS = {"kube-ctrl-old", "xmrig-ds", "kube-network", "sysrv"};
    static final String[] IMAGES = {"docker.io/ldpro/kube-proxy-api:latest", "docker.io/secpro/ctrl:1.3",
            "ghcr.io/nodex-io/agent:v2", "docker.io/tinyimg/busybox-xmr:latest"};

    @Override
    public String name() {
        return "anonymous-discovery";
    }

    @Override
    public String patternId() {
        return "anonymous-discovery-then-workload-created";
    }

    @Override
    public String description() {
        return "anonymous client probes the API (/version, lists), deletes a rival miner, then creates a miner DaemonSet";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        boolean gke = c.profile.flavor == OutputFormat.GKE;
        String ua = r.pick(AGENTS);
        String[] ips = !gke && r.chance(0.33) ? new String[] {"10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)), c.ip}
                : new String[] {c.ip};
        String admin = ClusterProfile.rbacReason("ClusterRoleBinding", "cluster-system-anonymous", "ClusterRole",
                "cluster-admin", "User", "system:anonymous");
        Identity anon = Identity.user("system:anonymous", null, new String[] {"system:unauthenticated"}, null, ips, ua, admin);
        String publicInfo = ClusterProfile.rbacReason("ClusterRoleBinding", "system:public-info-viewer", "ClusterRole",
                "system:public-info-viewer", "Group", "system:unauthenticated");
        long at = t;
        boolean first = true;
        // 1. fingerprint and discovery (non-resource: not in GKE's log)
        Request version = c.sim.nonResource(r, anon, at, "/version").reason(publicInfo);
        if (gke) {
            c.submit(version);
        } else {
            c.evidence(version);
            first = false;
        }
        at += r.range(300_000, 5 * S);
        if (r.chance(0.6)) {
            c.submit(c.sim.nonResource(r, anon, at, "/api").reason(publicInfo));
            c.submit(c.sim.nonResource(r, anon, at + r.range(50_000, 900_000), "/apis").reason(publicInfo));
            at += r.range(1 * S, 6 * S);
        }
        // 2. what runs here
        List<Res> lists = new ArrayList<>(List.of(Res.NAMESPACES, Res.PODS, Res.NODES, Res.DAEMONSETS));
        if (r.chance(0.5)) {
            lists.remove(Res.NODES);
        }
        for (Res res : lists) {
            Request l = c.request(anon, at, "list", res, null, null, null);
            if (first) {
                c.evidence(l);
                first = false;
            } else {
                c.submit(l);
            }
            at += r.range(200_000, 4 * S);
        }
        // 3. a rival miner goes (Dero deleted other campaigns' DaemonSets)
        if (r.chance(0.5)) {
            at += r.range(1 * S, 10 * S);
            String rival = r.pick(COMPETITORS);
            Obj status = of("kind", "Status", "apiVersion", "v1", "metadata", of(), "status", "Success",
                    "details", of("name", rival, "group", "apps", "kind", "daemonsets", "uid", r.uuid()));
            c.evidence(c.request(anon, at, "delete", Res.DAEMONSETS, "kube-system", rival, null)
                    .bodies(of("kind", "DeleteOptions", "apiVersion", "v1", "propagationPolicy", "Background"), status));
        }
        // 4. the miner
        at += r.range(2 * S, 40 * S);
        String ns = r.chance(0.7) ? "kube-system" : "default";
        String name = r.pick(NAMES);
        if (!c.state.claim("anonymous-workload/" + ns + "/" + name)) {
            name = name + "-" + r.suffix(5);
        }
        Obj container = of("name", name, "image", r.pick(IMAGES), "imagePullPolicy", "Always",
                "args", arr("--pool", "pool.example.invalid:10300", "--wallet", r.hex(40), "--threads", "0"),
                "resources", of());
        if (r.chance(0.5)) {
            container.put("securityContext", of("privileged", true));
        }
        Obj podSpec = of("containers", arr(container), "tolerations", arr(of("operator", "Exists")));
        if (r.chance(0.4)) {
            podSpec.put("hostNetwork", true);
        }
        Obj labels = of("app", name);
        double kind = r.nextDouble();
        Request deploy;
        if (kind < 0.6) {
            Obj body = of("kind", "DaemonSet", "apiVersion", "apps/v1", "metadata", meta(name, ns).with("labels", labels),
                    "spec", of("selector", of("matchLabels", labels),
                            "template", of("metadata", of("labels", labels), "spec", podSpec)));
            deploy = AttackRequests.create(c, anon, at, Res.DAEMONSETS, ns, name, body, "");
        } else if (kind < 0.85) {
            Obj body = of("kind", "Deployment", "apiVersion", "apps/v1", "metadata", meta(name, ns).with("labels", labels),
                    "spec", of("replicas", c.profile.nodes.size(), "selector", of("matchLabels", labels),
                            "template", of("metadata", of("labels", labels), "spec", podSpec)));
            deploy = AttackRequests.create(c, anon, at, Res.DEPLOYMENTS, ns, name, body, "");
        } else {
            Obj body = of("kind", "Pod", "apiVersion", "v1", "metadata", meta(name, ns).with("labels", labels),
                    "spec", podSpec);
            deploy = AttackRequests.create(c, anon, at, Res.PODS, ns, name, body, "");
        }
        c.evidence(deploy);
        // 5. is it running?
        if (r.chance(0.7)) {
            at = deploy.completed + r.range(5 * S, 90 * S);
            c.submit(c.request(anon, at, "list", Res.PODS, ns, null, null).uri("?labelSelector=app%3D" + name));
        }
    }
}
