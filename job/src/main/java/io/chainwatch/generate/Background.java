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
 * The benign traffic of a cluster: control plane, kubelets, controllers, add-ons, CI, GitOps, the cloud's agent
 * (each an {@link Actor} with its own random stream), plus the people ({@link HumanActivity}) and rare admin work
 * ({@link AdminWork}). Nothing here creates privileged or host-namespace pods, wildcard roles, service accounts
 * in kube-system or cluster-admin bindings, and no service account uses kubectl, curl or python-requests:
 * that is reserved for the scenarios and for the rare admin work.
 */
final class Background {
    private Background() {}

    static void install(ClusterSim sim, long start) {
        ClusterProfile p = sim.profile;
        Rng root = new Rng(p.seed).child("background");

        // control plane: leader-election leases
        sim.add(lease(root.child("lease/kcm"), start, p.kcmLeaderElection, "kube-system", "kube-controller-manager",
                CONTROL_PLANE_TIMEOUT, TrafficModel.CONTROL_PLANE_LEASE_PERIOD));
        sim.add(lease(root.child("lease/scheduler"), start, p.schedulerLeaderElection, "kube-system", "kube-scheduler",
                CONTROL_PLANE_TIMEOUT, TrafficModel.CONTROL_PLANE_LEASE_PERIOD));

        // kubelets and kube-proxy
        for (Node node : p.nodes) {
            String n = "node/" + node.name;
            sim.add(lease(root.child(n + "/lease"), start, node.kubelet, "kube-node-lease", node.name, "?timeout=10s",
                    TrafficModel.NODE_LEASE_PERIOD));
            Rng statusRng = root.child(n + "/status");
            sim.add(Actor.periodic(n + "/status", statusRng, start + statusRng.range(0, TrafficModel.NODE_STATUS_PERIOD),
                    TrafficModel.NODE_STATUS_PERIOD, 2 * S, (s, t, r) -> nodeStatus(s, r, t, node)));
            sim.add(Actor.poisson(n + "/gets", root.child(n + "/gets"), start, TrafficModel.KUBELET_OBJECT_GET_MEAN_S, null,
                    (s, t, r) -> kubeletObjectGet(s, r, t, node)));
            sim.add(Actor.poisson(n + "/pod-status", root.child(n + "/pod-status"), start,
                    TrafficModel.KUBELET_POD_STATUS_MEAN_S, null, (s, t, r) -> podFlap(s, r, t, node)));
            sim.add(Actor.poisson(n + "/tokenreviews", root.child(n + "/tokenreviews"), start,
                    TrafficModel.KUBELET_TOKENREVIEW_MEAN_S, null, (s, t, r) ->
                            s.submit(s.request(r, node.kubelet, t, "create", Res.TOKENREVIEWS, null, null, null), r)));
            sim.add(Actor.poisson(n + "/sar", root.child(n + "/sar"), start,
                    TrafficModel.KUBELET_SUBJECTACCESSREVIEW_MEAN_S, null, (s, t, r) ->
                            s.submit(s.request(r, node.kubelet, t, "create", Res.SUBJECTACCESSREVIEWS, null, null, null), r)));
            sim.add(rewatch(root.child(n + "/watch-pods"), start, node.kubelet, Res.PODS, null,
                    "&fieldSelector=spec.nodeName%3D" + node.name));
            sim.add(rewatch(root.child(n + "/watch-node"), start, node.kubelet, Res.NODES, null,
                    "&fieldSelector=metadata.name%3D" + node.name));
            sim.add(rewatch(root.child(n + "/watch-services"), start, node.kubelet, Res.SERVICES, null, ""));
            sim.add(rewatch(root.child(n + "/proxy-slices"), start, node.kubeProxy, Res.ENDPOINTSLICES, null,
                    "&labelSelector=%21service.kubernetes.io%2Fheadless%2C%21service.kubernetes.io%2Fservice-proxy-name"));
            sim.add(rewatch(root.child(n + "/proxy-services"), start, node.kubeProxy, Res.SERVICES, null,
                    "&labelSelector=%21service.kubernetes.io%2Fheadless%2C%21service.kubernetes.io%2Fservice-proxy-name"));
        }

        // controllers
        sim.add(Actor.poisson("endpointslices", root.child("endpointslices"), start, TrafficModel.ENDPOINTSLICE_MEAN_S, null,
                (s, t, r) -> Workloads.sliceUpdate(s, r, t, s.state.popularApp(r))));
        for (App app : p.apps) {
            if (app.hpa) {
                Rng r0 = root.child("hpa/" + app.name);
                sim.add(Actor.periodic("hpa/" + app.name, r0, start + r0.range(0, TrafficModel.HPA_PERIOD),
                        TrafficModel.HPA_PERIOD, 300_000, (s, t, r) -> s.submit(s.request(r, p.hpaController, t, "list",
                                Res.POD_METRICS, app.namespace, null, null).uri("?labelSelector=app%3D" + app.name), r)));
            }
            if (app.apiClient) {
                Rng r0 = root.child("app-client/" + app.name);
                long period = TrafficModel.APP_CLIENT_PERIOD / Math.max(1, app.replicas);
                sim.add(Actor.periodic("app-client/" + app.name, r0, start + r0.range(0, period), period, period / 5,
                        (s, t, r) -> appClient(s, r, t, app)));
            }
        }

        // health probes of the API server (anonymous)
        Rng probes = root.child("probes");
        long phase = probes.range(0, TrafficModel.PROBE_PERIOD);
        sim.add(Actor.periodic("probe/livez", probes.child("livez"), start + phase, TrafficModel.PROBE_PERIOD, 200_000,
                (s, t, r) -> s.submit(s.nonResource(r, p.anonymousProbe, t, "/livez"), r)));
        sim.add(Actor.periodic("probe/readyz", probes.child("readyz"), start + (phase + 5 * S) % TrafficModel.PROBE_PERIOD,
                TrafficModel.PROBE_PERIOD, 200_000, (s, t, r) -> s.submit(s.nonResource(r, p.anonymousProbe, t, "/readyz"), r)));

        // add-ons on bound tokens: cluster DNS and metrics-server
        for (Identity dns : p.dnsPods) {
            String n = "dns/" + dns.extra(Identity.POD_NAME);
            sim.add(rewatch(root.child(n + "/slices"), start, dns, Res.ENDPOINTSLICES, null, ""));
            sim.add(rewatch(root.child(n + "/services"), start, dns, Res.SERVICES, null, ""));
            sim.add(rewatch(root.child(n + "/namespaces"), start, dns, Res.NAMESPACES, null, ""));
            sim.add(Actor.poisson(n + "/relist", root.child(n + "/relist"), start, TrafficModel.ADDON_RELIST_MEAN_S, null,
                    (s, t, r) -> {
                        s.submit(s.request(r, dns, t, "list", Res.ENDPOINTSLICES, null, null, null)
                                .uri("?limit=500&resourceVersion=0"), r);
                        s.submit(s.request(r, dns, t + r.range(1_000, 30_000), "list", Res.SERVICES, null, null, null)
                                .uri("?limit=500&resourceVersion=0"), r);
                        s.submit(s.request(r, dns, t + r.range(1_000, 30_000), "list", Res.NAMESPACES, null, null, null)
                                .uri("?limit=500&resourceVersion=0"), r);
                    }));
        }
        sim.add(rewatch(root.child("metrics/nodes"), start, p.metricsServer, Res.NODES, null, ""));
        sim.add(rewatch(root.child("metrics/pods"), start, p.metricsServer, Res.PODS, null, ""));
        sim.add(Actor.poisson("metrics/relist", root.child("metrics/relist"), start, TrafficModel.ADDON_RELIST_MEAN_S, null,
                (s, t, r) -> s.submit(s.request(r, p.metricsServer, t, "list", Res.NODES, null, null, null)
                        .uri("?limit=500&resourceVersion=0"), r)));

        // the cloud's own agent
        if (p.platformAgent != null) {
            sim.add(Actor.poisson("platform", root.child("platform"), start, TrafficModel.PLATFORM_AGENT_MEAN_S, null,
                    (s, t, r) -> platformAgent(s, r, t)));
        }

        // GitOps: periodic refresh of what it manages, and syncs of new commits
        List<String> gitopsNamespaces = new ArrayList<>();
        for (App app : p.apps) {
            if (app.gitopsManaged && !gitopsNamespaces.contains(app.namespace)) {
                gitopsNamespaces.add(app.namespace);
            }
        }
        Rng go = root.child("gitops/refresh");
        sim.add(Actor.periodic("gitops/refresh", go, start + go.range(0, TrafficModel.GITOPS_REFRESH_PERIOD),
                TrafficModel.GITOPS_REFRESH_PERIOD, 5 * S, (s, t, r) -> {
                    long at = t;
                    for (String ns : gitopsNamespaces) {
                        for (Res res : new Res[] {Res.DEPLOYMENTS, Res.SERVICES, Res.CONFIGMAPS}) {
                            s.submit(s.request(r, p.gitops, at, "list", res, ns, null, null).uri("?limit=500"), r);
                            at += r.range(2_000, 40_000);
                        }
                    }
                }));
        Diurnal ci = Diurnal.ci(p);
        sim.add(Actor.poisson("gitops/sync", root.child("gitops/sync"), start,
                3600.0 / TrafficModel.GITOPS_SYNCS_PER_HOUR_PEAK, ci, (s, t, r) -> gitopsSync(s, r, t)));
        sim.add(Actor.poisson("ci/helm", root.child("ci/helm"), start,
                3600.0 / TrafficModel.HELM_DEPLOYS_PER_HOUR_PEAK, ci, (s, t, r) -> helmUpgrade(s, r, t)));

        HumanActivity.install(sim, root.child("humans"), start);
        AdminWork.install(sim, root.child("admin"), start);
    }

    static final String CONTROL_PLANE_TIMEOUT = "?timeout=5s";

    static Actor lease(Rng rng, long start, Identity who, String ns, String name, String query, long period) {
        return Actor.periodic("lease/" + ns + "/" + name, rng, start + rng.range(0, period), period, period / 20,
                (s, t, r) -> s.submit(s.request(r, who, t, "update", Res.LEASES, ns, name, null).uri(query), r));
    }

    /** An informer's watch, re-established when its server-side timeout expires (ResponseStarted only). */
    static Actor rewatch(Rng rng, long start, Identity who, Res res, String ns, String query) {
        return new Actor("watch/" + who.username + "/" + res.resource, rng,
                start + rng.range(0, TrafficModel.WATCH_TIMEOUT_MAX)) {
            @Override
            void fire(ClusterSim sim) {
                long timeout = rng.range(TrafficModel.WATCH_TIMEOUT_MIN, TrafficModel.WATCH_TIMEOUT_MAX) / S;
                sim.submit(sim.request(rng, who, next, "watch", res, ns, null, null)
                        .uri("?allowWatchBookmarks=true" + query + "&resourceVersion=" + sim.state.currentResourceVersion()
                                + "&timeout=" + timeout / 60 + "m" + timeout % 60 + "s&timeoutSeconds=" + timeout
                                + "&watch=true"), rng);
                next += timeout * S + rng.range(1_000, 2 * S);
            }
        };
    }

    /** The kubelet's condition heartbeat: a strategic-merge patch of nodes/status (Request level). */
    static void nodeStatus(ClusterSim sim, Rng rng, long t, Node node) {
        String hb = Times.rfc3339Seconds(t);
        Body patch = g -> {
            g.writeStartObject();
            g.writeFieldName("status");
            g.writeStartObject();
            g.writeFieldName("$setElementOrder/conditions");
            g.writeStartArray();
            for (String c : NODE_CONDITIONS) {
                g.writeStartObject();
                g.writeStringField("type", c);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("conditions");
            g.writeStartArray();
            for (String c : NODE_CONDITIONS) {
                g.writeStartObject();
                g.writeStringField("lastHeartbeatTime", hb);
                g.writeStringField("type", c);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        };
        sim.submit(sim.request(rng, node.kubelet, t, "patch", Res.NODES, null, node.name, "status").uri("?timeout=10s")
                .bodies(patch, null), rng);
    }

    static final String[] NODE_CONDITIONS = {"MemoryPressure", "DiskPressure", "PIDPressure", "Ready"};

    static void kubeletObjectGet(ClusterSim sim, Rng rng, long t, Node node) {
        List<Pod> pods = sim.state.podsOn(node);
        if (pods.isEmpty() || rng.chance(0.1)) {
            Workloads.kubeletGet(sim, rng, t, node, Res.CONFIGMAPS, "kube-system", rng.chance(0.5) ? "kube-proxy" : "kube-root-ca.crt");
            return;
        }
        Pod pod = rng.pick(pods);
        if (rng.chance(0.6)) {
            Workloads.kubeletGet(sim, rng, t, node, Res.CONFIGMAPS, pod.app.namespace,
                    rng.chance(0.7) ? pod.app.configMap : "kube-root-ca.crt");
        } else {
            Workloads.kubeletGet(sim, rng, t, node, Res.SECRETS, pod.app.namespace, pod.app.secret);
        }
    }

    static void podFlap(ClusterSim sim, Rng rng, long t, Node node) {
        List<Pod> pods = sim.state.podsOn(node);
        if (pods.isEmpty()) {
            return;
        }
        Pod pod = rng.pick(pods);
        Workloads.podStatus(sim, rng, t, node, pod.app.namespace, pod.name, pod.uid, pod.app.name, pod.ip, true);
    }

    /** An app that reads its configuration through the API, with its own pod's token and client. */
    static void appClient(ClusterSim sim, Rng rng, long t, App app) {
        if (app.pods.isEmpty()) {
            return;
        }
        Pod pod = app.pods.get((int) ((t / TrafficModel.APP_CLIENT_PERIOD) % app.pods.size()));
        Identity id = pod.token(sim.profile);
        if (rng.chance(0.8)) {
            sim.submit(sim.request(rng, id, t, "get", Res.CONFIGMAPS, app.namespace, app.configMap, null), rng);
        } else {
            sim.submit(sim.request(rng, id, t, "list", Res.ENDPOINTSLICES, app.namespace, null, null)
                    .uri("?labelSelector=kubernetes.io%2Fservice-name%3D" + app.name), rng);
        }
    }

    static void platformAgent(ClusterSim sim, Rng rng, long t) {
        ClusterProfile p = sim.profile;
        Node node = rng.pick(p.nodes);
        switch (rng.nextInt(3)) {
            case 0:
                sim.submit(sim.request(rng, p.platformAgent, t, "get", Res.NODES, null, node.name, null), rng);
                break;
            case 1:
                sim.submit(sim.request(rng, p.platformAgent, t, "list", Res.PODS, "kube-system", null, null).uri("?limit=500"), rng);
                break;
            default:
                sim.submit(sim.request(rng, p.platformAgent, t, "get", Res.CONFIGMAPS, "kube-system",
                        p.flavor == OutputFormat.EKS ? "aws-auth" : p.flavor == OutputFormat.GKE ? "kube-dns" : "coredns", null), rng);
                break;
        }
    }

    /** A new commit reaches the GitOps controller: it applies the Deployment (server-side) or a configmap. */
    static void gitopsSync(ClusterSim sim, Rng rng, long t) {
        ClusterProfile p = sim.profile;
        App app = null;
        for (int i = 0; i < 5 && app == null; i++) {
            App a = sim.state.popularApp(rng);
            if (a.gitopsManaged) {
                app = a;
            }
        }
        if (app == null) {
            return;
        }
        String query = "?fieldManager=" + p.gitopsFieldManager + "&force=true";
        if (rng.chance(0.3)) {
            sim.submit(sim.request(rng, p.gitops, t, "get", Res.CONFIGMAPS, app.namespace, app.configMap, null), rng);
            sim.submit(sim.request(rng, p.gitops, t + rng.range(20_000, 400_000), "patch", Res.CONFIGMAPS, app.namespace,
                    app.configMap, null).uri(query), rng);
            return;
        }
        sim.submit(sim.request(rng, p.gitops, t, "get", Res.DEPLOYMENTS, app.namespace, app.name, null), rng);
        t += rng.range(20_000, 400_000);
        app.patch++;
        app.revision++;
        Obj applied = Workloads.deployment(sim, app, p.gitopsKind);
        Obj manifest = of("apiVersion", Workloads.APIS_APPS, "kind", "Deployment",
                "metadata", of("name", app.name, "namespace", app.namespace, "labels",
                        of("app", app.name, "app.kubernetes.io/managed-by", p.gitopsKind, "app.kubernetes.io/version", app.version())),
                "spec", applied.get("spec"));
        sim.submit(sim.request(rng, p.gitops, t, "patch", Res.DEPLOYMENTS, app.namespace, app.name, null).uri(query)
                .bodies(manifest, applied), rng);
        Workloads.rollout(sim, rng, t + rng.range(30_000, 300_000), app);
    }

    /**
     * A CI job upgrades a Helm release: the runner controller starts a job pod, Helm (with the pod's token) reads
     * and writes its release secrets {@code sh.helm.release.v1.<app>.vN} and patches the Deployment, which rolls.
     */
    static void helmUpgrade(ClusterSim sim, Rng rng, long t) {
        ClusterProfile p = sim.profile;
        App app = null;
        for (int i = 0; i < 5 && app == null; i++) {
            App a = sim.state.popularApp(rng);
            if (!a.gitopsManaged) {
                app = a;
            }
        }
        if (app == null) {
            return;
        }
        // the CI job's pod
        Node node = rng.pick(p.nodes);
        String job = "deploy-" + app.name + "-" + rng.between(1000, 99999);
        String podName = job + "-" + rng.suffix(5);
        String podUid = rng.uuid();
        String podIP = node.nextPodIP();
        Obj spec = of("serviceAccountName", "helm-deployer", "restartPolicy", "Never",
                "securityContext", of("runAsNonRoot", true, "runAsUser", 1001, "seccompProfile", of("type", "RuntimeDefault")),
                "containers", arr(of("name", "runner", "image", "registry.corp.example/ci/helm-runner:3.16.2",
                        "args", arr("upgrade", "--install", app.name, "charts/" + app.name, "-n", app.namespace, "--atomic"),
                        "securityContext", of("allowPrivilegeEscalation", false, "capabilities", of("drop", arr("ALL"))))));
        Obj meta = of("name", podName, "namespace", "ci", "labels", of("job-name", job, "app", "helm-runner"));
        sim.submit(sim.request(rng, p.runnerController, t, "create", Res.PODS, "ci", podName, null)
                .bodies(of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec),
                        of("kind", "Pod", "apiVersion", "v1", "metadata", meta.with("uid", podUid,
                                "resourceVersion", sim.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(t)),
                                "spec", Workloads.defaulted(spec, null), "status", of("phase", "Pending", "qosClass", "BestEffort")))
                .annotate("pod-security.kubernetes.io/enforce-policy", "restricted:latest"), rng);
        Workloads.bind(sim, rng, t + rng.range(10_000, 50_000), "ci", podName, podUid, node);
        long at = t + rng.range(3 * S, 8 * S);
        Workloads.podStatus(sim, rng, at, node, "ci", podName, podUid, "runner", podIP, true);

        Identity helm = Identity.boundToken("ci", "helm-deployer", Rng.uuidOf(p.seed, "sa/helm-deployer"), podName, podUid,
                node.name, node.uid, rng.nextLong(), new String[] {podIP}, "Helm/3.16.2",
                ClusterProfile.rbacReason("RoleBinding", "helm-deployer/" + app.namespace, "ClusterRole", "edit",
                        "ServiceAccount", "helm-deployer/ci"));
        String ns = app.namespace;
        String current = "sh.helm.release.v1." + app.name + ".v" + app.revision;
        String next = "sh.helm.release.v1." + app.name + ".v" + (app.revision + 1);
        at += rng.range(2 * S, 10 * S);
        sim.submit(sim.request(rng, helm, at, "list", Res.SECRETS, ns, null, null)
                .uri("?labelSelector=name%3D" + app.name + "%2Cowner%3Dhelm"), rng);
        at += rng.range(20_000, 200_000);
        sim.submit(sim.request(rng, helm, at, "get", Res.SECRETS, ns, current, null), rng);
        for (Res res : new Res[] {Res.CONFIGMAPS, Res.SERVICES, Res.DEPLOYMENTS}) {
            at += rng.range(5_000, 60_000);
            String name = res == Res.CONFIGMAPS ? app.configMap : app.name;
            sim.submit(sim.request(rng, helm, at, "get", res, ns, name, null), rng);
        }
        at += rng.range(20_000, 100_000);
        sim.submit(sim.request(rng, helm, at, "create", Res.SECRETS, ns, next, null), rng);
        boolean config = rng.chance(0.3);
        if (config) {
            at += rng.range(10_000, 80_000);
            sim.submit(sim.request(rng, helm, at, "patch", Res.CONFIGMAPS, ns, app.configMap, null).uri("?fieldManager=helm"), rng);
        }
        app.revision++;
        app.minor += rng.chance(0.3) ? 1 : 0;
        app.patch = rng.between(0, 9);
        at += rng.range(10_000, 80_000);
        Obj patch = of("metadata", of("labels", of("app.kubernetes.io/version", app.version(),
                        "helm.sh/chart", app.name + "-" + app.version())),
                "spec", of("template", of("metadata", of("annotations", of("checksum/config", rng.hex(64))),
                        "spec", of("$setElementOrder/containers", arr(of("name", app.name)),
                                "containers", arr(of("image", app.image + ":" + app.version(), "name", app.name))))));
        sim.submit(sim.request(rng, helm, at, "patch", Res.DEPLOYMENTS, ns, app.name, null).uri("?fieldManager=helm")
                .bodies(patch, Workloads.deployment(sim, app, "Helm")), rng);
        Workloads.rollout(sim, rng, at + rng.range(10_000, 100_000), app);
        at += rng.range(30 * S, 90 * S);
        sim.submit(sim.request(rng, helm, at, "update", Res.SECRETS, ns, next, null), rng);
        at += rng.range(10_000, 60_000);
        sim.submit(sim.request(rng, helm, at, "update", Res.SECRETS, ns, current, null), rng);
        if (app.revision > 10) {
            at += rng.range(10_000, 60_000);
            sim.submit(sim.request(rng, helm, at, "delete", Res.SECRETS, ns,
                    "sh.helm.release.v1." + app.name + ".v" + (app.revision - 10), null), rng);
        }
        // the job pod ends and is cleaned up
        at += rng.range(2 * S, 6 * S);
        Workloads.podStatus(sim, rng, at, node, "ci", podName, podUid, "runner", null, false);
        sim.submit(sim.request(rng, p.runnerController, at + rng.range(5 * S, 60 * S), "delete", Res.PODS, "ci", podName, null), rng);
    }
}
