package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Masquerading backdoor workload in kube-system (S21; Microsoft's threat matrix "Pod or container name
 * similarity" MS-TA9023 and "Backdoor container" MS-TA9012; the RBAC Buster / RBACdoors {@code kube-controller}
 * DaemonSet): a user looks at the system DaemonSets, then creates in kube-system a DaemonSet (two in three) or a
 * Deployment named like a system component, with an image from a public registry, host access and a
 * system-node-critical priority. The daemon-set controller creates one pod per node (bound by the scheduler,
 * started by the kubelet), or the deployment controller a ReplicaSet whose pods the replicaset controller
 * creates. Evidence: the workload create, the controller's first child (a pod of the DaemonSet, or the
 * Deployment's ReplicaSet).
 */
final class KubeSystemBackdoorScenario implements Scenario {
    static final String[] NAMES = {"kube-controller", "kube-proxy-agent", "coredns-autoscaler", "kube-node-monitor",
            "calico-node-agent", "kube-metrics-agent", "konnectivity-helper", "csi-node-registrar"};
    static final String[] IMAGES = {"docker.io/library/alpine:3.20", "docker.io/bitnami/kubectl:1.31",
            "ghcr.io/kube-tools/node-agent:v0.4.2", "docker.io/library/ubuntu:24.04", "quay.io/sysdiag/agent:1.8"};

    @Override
    public String name() {
        return "kube-system-backdoor";
    }

    @Override
    public String patternId() {
        return "kube-system-unvetted-workload-rolled-out";
    }

    @Override
    public String description() {
        return "DaemonSet or Deployment with a public image and a system-looking name created in kube-system, rolled out by its controller";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        String base = r.pick(NAMES);
        String name = c.state.claim("kube-system-workload/" + base) ? base : base + "-" + r.suffix(4);
        boolean daemonSet = r.chance(0.67);
        Identity me = c.attacker("ops", ClusterProfile.rbacReason("ClusterRoleBinding", "ops-operators", "ClusterRole",
                "ops-operator", "Group", p.groupName("ops")));
        String ns = "kube-system";
        long at = t;
        if (r.chance(0.7)) {
            c.submit(c.request(me, at, "list", daemonSet ? Res.DAEMONSETS : Res.DEPLOYMENTS, ns, null, null).uri("?limit=500"));
            at += r.range(4 * S, 40 * S);
            if (r.chance(0.6)) {
                c.submit(c.request(me, at, "get", Res.DAEMONSETS, ns, "kube-proxy", null));
                at += r.range(10 * S, 90 * S);
            }
        }
        // (40%) a service account of its own, as the system components have
        String sa = "default";
        if (r.chance(0.4)) {
            sa = name;
            Obj saMeta = of("name", sa, "namespace", ns, "creationTimestamp", null);
            c.submit(c.request(me, at, "create", Res.SERVICEACCOUNTS, ns, sa, null)
                    .uri("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict")
                    .bodies(of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", saMeta),
                            of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", saMeta.with("uid", r.uuid(),
                                    "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)))));
            at += r.range(300_000, 3 * S);
        }

        String image = r.pick(IMAGES);
        Obj labels = of("k8s-app", name, "tier", "node");
        Obj container = of("name", name, "image", image,
                "command", arr("sh", "-c", r.chance(0.5) ? "while true; do sleep 3600; done"
                        : "nsenter -t 1 -m -u -i -n -- sh -c 'sleep infinity'"),
                "securityContext", of("privileged", true),
                "volumeMounts", arr(of("name", "host", "mountPath", "/host")),
                "resources", of("requests", of("cpu", "10m", "memory", "32Mi")));
        Obj podSpec = of("serviceAccountName", sa, "hostPID", true, "hostNetwork", true,
                "priorityClassName", "system-node-critical", "tolerations", arr(of("operator", "Exists")),
                "containers", arr(container), "volumes", arr(of("name", "host", "hostPath", of("path", "/"))));
        Obj template = of("metadata", of("creationTimestamp", null, "labels", labels), "spec", podSpec);
        Obj spec = of("selector", of("matchLabels", of("k8s-app", name)), "template", template);
        if (!daemonSet) {
            spec = of("replicas", 1).with("selector", spec.get("selector"), "template", template);
        }
        String kind = daemonSet ? "DaemonSet" : "Deployment";
        Obj meta = of("name", name, "namespace", ns, "creationTimestamp", null, "labels", labels);
        boolean apply = r.chance(0.5);
        if (apply) {
            meta = meta.with("annotations", of("kubectl.kubernetes.io/last-applied-configuration",
                    "{\"apiVersion\":\"apps/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"annotations\":{},\"name\":\"" + name
                            + "\",\"namespace\":\"kube-system\"}}\n"));
        }
        String uid = r.uuid();
        Obj req = of("kind", kind, "apiVersion", "apps/v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", kind, "apiVersion", "apps/v1",
                "metadata", meta.with("uid", uid, "resourceVersion", c.state.nextResourceVersion(), "generation", 1,
                        "creationTimestamp", Times.rfc3339Seconds(at)),
                "spec", spec.with("revisionHistoryLimit", 10), "status", of());
        c.evidence(c.request(me, at, "create", daemonSet ? Res.DAEMONSETS : Res.DEPLOYMENTS, ns, name, null)
                .uri(apply ? "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"
                        : "?fieldManager=kubectl-create&fieldValidation=Strict")
                .bodies(req, resp));

        long start = at + r.range(50_000, 2 * S);
        if (daemonSet) {
            Identity dsc = p.kcmController("daemon-set-controller");
            String hash = r.digits(9).replaceFirst("^0", "5");
            Obj owner = ControllerChains.ownerRef("apps/v1", "DaemonSet", name, uid);
            List<Node> nodes = p.nodes;
            long last = start;
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                long podAt = start + i * r.range(2_000, 40_000);
                String pod = name + "-" + r.suffix(5);
                String podUid = r.uuid();
                Obj affinity = of("nodeAffinity", of("requiredDuringSchedulingIgnoredDuringExecution", of("nodeSelectorTerms",
                        arr(of("matchFields", arr(of("key", "metadata.name", "operator", "In", "values", arr(node.name))))))));
                Request create = ControllerChains.ownedPod(c, dsc, podAt, ns, name + "-", pod, podUid,
                        labels.with("controller-revision-hash", hash, "pod-template-generation", "1"), owner,
                        podSpec.with("affinity", affinity), "Burstable");
                if (i == 0) {
                    c.evidence(create);
                } else {
                    c.submit(create);
                }
                last = Math.max(last, ControllerChains.run(c, podAt, node, ns, pod, podUid, name, node.ip, false));
            }
            ControllerChains.status(c, dsc, last + r.range(500_000, 5 * S), Res.DAEMONSETS, ns, name, uid, "apps/v1",
                    "DaemonSet", of("currentNumberScheduled", nodes.size(), "desiredNumberScheduled", nodes.size(),
                            "numberReady", nodes.size(), "observedGeneration", 1, "updatedNumberScheduled", nodes.size()));
        } else {
            String hash = r.suffix(9 + r.nextInt(2));
            String rsName = name + "-" + hash;
            String rsUid = r.uuid();
            Obj rsLabels = labels.with("pod-template-hash", hash);
            Obj rsMeta = of("name", rsName, "namespace", ns, "labels", rsLabels,
                    "annotations", of("deployment.kubernetes.io/desired-replicas", "1", "deployment.kubernetes.io/max-replicas", "2",
                            "deployment.kubernetes.io/revision", "1"),
                    "ownerReferences", arr(ControllerChains.ownerRef("apps/v1", "Deployment", name, uid)));
            Obj rsSpec = of("replicas", 1, "selector", of("matchLabels", of("k8s-app", name, "pod-template-hash", hash)),
                    "template", of("metadata", of("labels", rsLabels), "spec", podSpec));
            Obj rs = of("kind", "ReplicaSet", "apiVersion", "apps/v1", "metadata", rsMeta, "spec", rsSpec);
            c.evidence(c.request(p.deploymentController, start, "create", Res.REPLICASETS, ns, rsName, null)
                    .bodies(rs, rs.with("metadata", rsMeta.with("uid", rsUid, "resourceVersion", c.state.nextResourceVersion(),
                            "creationTimestamp", Times.rfc3339Seconds(start)))));
            long podAt = start + r.range(5_000, 40_000);
            Node node = r.pick(p.nodes);
            String pod = rsName + "-" + r.suffix(5);
            String podUid = r.uuid();
            c.submit(ControllerChains.ownedPod(c, p.replicaSetController, podAt, ns, rsName + "-", pod, podUid, rsLabels,
                    ControllerChains.ownerRef("apps/v1", "ReplicaSet", rsName, rsUid), podSpec, "Burstable"));
            long running = ControllerChains.run(c, podAt, node, ns, pod, podUid, name, node.ip, false);
            ControllerChains.status(c, p.deploymentController, running + r.range(500_000, 5 * S), Res.DEPLOYMENTS, ns, name, uid,
                    "apps/v1", "Deployment", of("observedGeneration", 1, "replicas", 1, "updatedReplicas", 1,
                            "readyReplicas", 1, "availableReplicas", 1));
            start = running;
        }
        if (r.chance(0.6)) {
            at = start + r.range(20 * S, 120 * S);
            c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?labelSelector=k8s-app%3D" + name + "&limit=500"));
        }
    }
}
