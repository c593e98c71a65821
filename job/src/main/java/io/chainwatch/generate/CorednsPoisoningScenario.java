package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * CoreDNS poisoning (S23; Microsoft's threat matrix "CoreDNS poisoning", MS-TA9035, T1557): a user reads the
 * cluster DNS configuration in kube-system ({@code coredns}; {@code coredns-custom} on AKS, as AKS documents;
 * {@code kube-dns} on GKE), rewrites it ({@code kubectl edit} / {@code apply}: a patch, or {@code replace}: an
 * update) with a rewrite/hosts rule for a registry or an API endpoint, then makes the DNS pods load it: a
 * {@code kubectl rollout restart} of the Deployment (the deployment controller then rolls new pods), or
 * {@code kubectl delete pod -l k8s-app=kube-dns} (the replicaset controller replaces them). Evidence: the
 * ConfigMap write, the first restart request (the Deployment patch or the first pod delete).
 */
final class CorednsPoisoningScenario implements Scenario {

    @Override
    public String name() {
        return "coredns-poisoning";
    }

    @Override
    public String patternId() {
        return "coredns-config-changed-then-restarted";
    }

    @Override
    public String description() {
        return "cluster DNS ConfigMap in kube-system rewritten by a user, then the DNS Deployment restarted or its pods deleted";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        String ns = "kube-system";
        String dns = p.dnsName;
        String config = p.flavor == OutputFormat.AKS ? "coredns-custom" : dns;
        Identity me = c.attacker("ops", ClusterProfile.rbacReason("ClusterRoleBinding", "ops-operators", "ClusterRole",
                "ops-operator", "Group", p.groupName("ops")));
        long at = t;
        if (r.chance(0.6)) {
            c.submit(c.request(me, at, "list", Res.CONFIGMAPS, ns, null, null).uri("?limit=500"));
            at += r.range(4 * S, 40 * S);
        }
        c.submit(c.request(me, at, "get", Res.CONFIGMAPS, ns, config, null));
        at += r.range(20 * S, 180 * S);
        // the write: kubectl edit / apply (patch) or replace (update); configmaps are logged at Metadata level
        double how = r.nextDouble();
        String verb = how < 0.7 ? "patch" : "update";
        String query = how < 0.45 ? "?fieldManager=kubectl-edit&fieldValidation=Strict"
                : how < 0.7 ? "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"
                : "?fieldManager=kubectl-replace&fieldValidation=Strict";
        c.evidence(c.request(me, at, verb, Res.CONFIGMAPS, ns, config, null).uri(query));
        at += r.range(10 * S, 240 * S);

        String rs = p.dnsPods.get(0).extra(Identity.POD_NAME);
        rs = rs.substring(0, rs.lastIndexOf('-'));
        String deploymentUid = Rng.uuidOf(p.seed, "deploy/kube-system/" + dns);
        Obj podLabels = of("k8s-app", "kube-dns", "pod-template-hash", rs.substring(rs.lastIndexOf('-') + 1));
        if (r.chance(0.55)) {
            // kubectl rollout restart deployment/<dns>
            Obj patch = of("spec", of("template", of("metadata", of("annotations",
                    of("kubectl.kubernetes.io/restartedAt", Times.rfc3339Seconds(at).replace("Z", "+00:00"))))));
            Obj deployment = of("kind", "Deployment", "apiVersion", "apps/v1",
                    "metadata", of("name", dns, "namespace", ns, "uid", deploymentUid,
                            "resourceVersion", c.state.nextResourceVersion(), "generation", r.between(2, 9),
                            "labels", of("k8s-app", "kube-dns")),
                    "spec", of("replicas", 2, "selector", of("matchLabels", of("k8s-app", "kube-dns")),
                            "template", of("metadata", of("labels", of("k8s-app", "kube-dns"), "annotations",
                                    of("kubectl.kubernetes.io/restartedAt", Times.rfc3339Seconds(at).replace("Z", "+00:00"))),
                                    "spec", dnsSpec(p, dns))));
            c.evidence(c.request(me, at, "patch", Res.DEPLOYMENTS, ns, dns, null).uri("?fieldManager=kubectl-rollout")
                    .bodies(patch, deployment));
            // the deployment controller's new ReplicaSet, two new pods
            String hash = r.suffix(9 + r.nextInt(2));
            String newRs = dns + "-" + hash;
            String rsUid = r.uuid();
            long rsAt = at + r.range(20_000, 200_000);
            Obj rsLabels = of("k8s-app", "kube-dns", "pod-template-hash", hash);
            Obj rsMeta = of("name", newRs, "namespace", ns, "labels", rsLabels,
                    "ownerReferences", arr(ControllerChains.ownerRef("apps/v1", "Deployment", dns, deploymentUid)));
            Obj rsObj = of("kind", "ReplicaSet", "apiVersion", "apps/v1", "metadata", rsMeta,
                    "spec", of("replicas", 1, "selector", of("matchLabels", rsLabels),
                            "template", of("metadata", of("labels", rsLabels), "spec", dnsSpec(p, dns))));
            c.submit(c.request(p.deploymentController, rsAt, "create", Res.REPLICASETS, ns, newRs, null)
                    .bodies(rsObj, rsObj.with("metadata", rsMeta.with("uid", rsUid, "resourceVersion",
                            c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(rsAt)))));
            long podAt = rsAt + r.range(5_000, 40_000);
            for (int i = 0; i < 2; i++) {
                podAt = replacement(c, podAt, newRs, rsUid, rsLabels, dns) + r.range(1_500_000, 3_000_000);
                c.submit(c.request(p.replicaSetController, podAt, "delete", Res.PODS, ns,
                        p.dnsPods.get(i).extra(Identity.POD_NAME), null));
            }
        } else {
            // kubectl delete pod -l k8s-app=kube-dns: a list, then one delete per pod
            c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?labelSelector=k8s-app%3Dkube-dns"));
            at += r.range(30_000, 300_000);
            for (int i = 0; i < p.dnsPods.size(); i++) {
                String pod = p.dnsPods.get(i).extra(Identity.POD_NAME);
                Request del = c.request(me, at, "delete", Res.PODS, ns, pod, null);
                if (i == 0) {
                    c.evidence(del);
                } else {
                    c.submit(del);
                }
                replacement(c, at + r.range(300_000, 2 * S), rs, Rng.uuidOf(p.seed, "rs/kube-system/" + rs), podLabels, dns);
                at += r.range(20_000, 200_000);
            }
        }
        if (r.chance(0.5)) {
            at += r.range(30 * S, 120 * S);
            c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?labelSelector=k8s-app%3Dkube-dns"));
        }
    }

    /** The replicaset controller creates a DNS pod, the scheduler binds it, the kubelet starts it. */
    private static long replacement(ScenarioContext c, long at, String rs, String rsUid, Obj labels, String dns) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Node node = r.pick(p.nodes);
        String pod = rs + "-" + r.suffix(5);
        String podUid = r.uuid();
        c.submit(ControllerChains.ownedPod(c, p.replicaSetController, at, "kube-system", rs + "-", pod, podUid, labels,
                ControllerChains.ownerRef("apps/v1", "ReplicaSet", rs, rsUid), dnsSpec(p, dns), "Burstable"));
        return ControllerChains.run(c, at, node, "kube-system", pod, podUid, dns, node.nextPodIP(), false);
    }

    static Obj dnsSpec(ClusterProfile p, String dns) {
        String image = p.flavor == OutputFormat.GKE ? "gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9"
                : p.flavor == OutputFormat.AKS ? "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3"
                : p.flavor == OutputFormat.EKS ? "602401143452.dkr.ecr." + p.eksRegion + ".amazonaws.com/eks/coredns:v1.11.3-eksbuild.1"
                : "registry.k8s.io/coredns/coredns:v1.11.3";
        return of("serviceAccountName", dns, "priorityClassName", "system-cluster-critical", "dnsPolicy", "Default",
                "containers", arr(of("name", dns, "image", image, "args", arr("-conf", "/etc/coredns/Corefile"),
                        "ports", arr(of("name", "dns", "containerPort", 53, "protocol", "UDP"),
                                of("name", "dns-tcp", "containerPort", 53, "protocol", "TCP")),
                        "resources", of("requests", of("cpu", "100m", "memory", "70Mi"), "limits", of("memory", "170Mi")),
                        "volumeMounts", arr(of("name", "config-volume", "mountPath", "/etc/coredns", "readOnly", true)))),
                "volumes", arr(of("name", "config-volume", "configMap", of("name", dns))),
                "tolerations", arr(of("key", "CriticalAddonsOnly", "operator", "Exists")));
    }
}
