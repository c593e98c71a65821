package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Node;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;

/**
 * Objects and request chains of ordinary workloads: restricted pod specs, the ReplicaSet → pod → scheduler →
 * kubelet → EndpointSlice chain of a rolling update, kubelet status patches.
 */
final class Workloads {
    private Workloads() {}

    static final String APIS_APPS = "apps/v1";

    /** Where the requests of a chain go: the simulation, or a scenario instance that they belong to. */
    interface Sink {
        Request submit(Request r);
    }

    static Sink to(ClusterSim sim, Rng rng) {
        return r -> {
            sim.submit(r, rng);
            return r;
        };
    }

    /** A restricted-profile pod spec for an app (what its Deployment's template says). */
    static Obj appPodSpec(App app) {
        Obj spec = of("serviceAccountName", app.serviceAccount,
                "securityContext", of("runAsNonRoot", true, "runAsUser", 10001, "fsGroup", 10001,
                        "seccompProfile", of("type", "RuntimeDefault")),
                "containers", arr(of("name", app.name, "image", app.image + ":" + app.version(),
                        "ports", arr(of("name", "http", "containerPort", 8080, "protocol", "TCP")),
                        "envFrom", arr(of("configMapRef", of("name", app.configMap))),
                        "resources", of("requests", of("cpu", "100m", "memory", "128Mi"), "limits", of("memory", "256Mi")),
                        "readinessProbe", of("httpGet", of("path", "/ready", "port", "http"), "periodSeconds", 5),
                        "securityContext", of("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true,
                                "capabilities", of("drop", arr("ALL"))),
                        "volumeMounts", arr(of("name", "tls", "mountPath", "/etc/" + app.name + "/tls", "readOnly", true)))),
                "volumes", arr(of("name", "tls", "secret", of("secretName", app.secret))));
        if (app.sidecar != null) {
            List<Object> containers = new ArrayList<>((List<?>) spec.get("containers"));
            containers.add(app.sidecar);
            spec.put("containers", containers);
        }
        return spec;
    }

    static Obj defaulted(Obj spec, String nodeName) {
        return spec.with("restartPolicy", "Always", "terminationGracePeriodSeconds", 30, "dnsPolicy", "ClusterFirst",
                "serviceAccount", spec.get("serviceAccountName") == null ? "default" : spec.get("serviceAccountName"),
                "schedulerName", "default-scheduler", "enableServiceLinks", true, "preemptionPolicy", "PreemptLowerPriority")
                .opt("nodeName", nodeName);
    }

    /** The ReplicaSet controller creates a pod from the app's template (generateName: the name is in the response). */
    static Request createAppPod(ClusterSim sim, Rng rng, long t, App app, Pod pod) {
        return createAppPod(sim, rng, t, app, pod, to(sim, rng));
    }

    static Request createAppPod(ClusterSim sim, Rng rng, long t, App app, Pod pod, Sink sink) {
        ClusterProfile p = sim.profile;
        Obj meta = of("generateName", app.rsName() + "-", "namespace", app.namespace,
                "labels", of("app", app.name, "pod-template-hash", app.rsHash),
                "ownerReferences", arr(of("apiVersion", APIS_APPS, "kind", "ReplicaSet", "name", app.rsName(),
                        "uid", app.rsUid, "controller", true, "blockOwnerDeletion", true)));
        Obj spec = appPodSpec(app);
        Obj req = of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", "Pod", "apiVersion", "v1",
                "metadata", meta.with("name", pod.name, "uid", pod.uid, "resourceVersion", sim.state.nextResourceVersion(),
                        "creationTimestamp", Times.rfc3339Seconds(t)),
                "spec", defaulted(spec, null), "status", of("phase", "Pending", "qosClass", "Burstable"));
        Request r = sim.request(rng, p.replicaSetController, t, "create", Res.PODS, app.namespace, null, null)
                .bodies(req, resp).annotate("pod-security.kubernetes.io/enforce-policy", "restricted:latest");
        return sink.submit(r);
    }

    /** kube-scheduler binds a pod to a node. */
    static void bind(ClusterSim sim, Rng rng, long t, String ns, String pod, String podUid, Node node) {
        bind(sim, rng, t, ns, pod, podUid, node, to(sim, rng));
    }

    static void bind(ClusterSim sim, Rng rng, long t, String ns, String pod, String podUid, Node node, Sink sink) {
        Obj req = of("kind", "Binding", "apiVersion", "v1",
                "metadata", of("name", pod, "namespace", ns, "uid", podUid, "creationTimestamp", null),
                "target", of("kind", "Node", "name", node.name));
        Obj resp = of("kind", "Status", "apiVersion", "v1", "metadata", of(), "status", "Success", "code", 201);
        Request r = sim.request(rng, sim.profile.scheduler, t, "create", Res.PODS, ns, pod, "binding")
                .code(201).bodies(req, resp);
        sink.submit(r);
    }

    /** The kubelet reports a pod's status (a strategic-merge patch of pods/status). */
    static void podStatus(ClusterSim sim, Rng rng, long t, Node node, String ns, String pod, String podUid,
                          String container, String podIP, boolean running) {
        podStatus(sim, rng, t, node, ns, pod, podUid, container, podIP, running, to(sim, rng));
    }

    static void podStatus(ClusterSim sim, Rng rng, long t, Node node, String ns, String pod, String podUid,
                          String container, String podIP, boolean running, Sink sink) {
        String now = Times.rfc3339Seconds(t);
        String ready = running ? "True" : "False";
        Obj status = of("$setElementOrder/conditions", arr(of("type", "PodReadyToStartContainers"), of("type", "Initialized"),
                        of("type", "Ready"), of("type", "ContainersReady"), of("type", "PodScheduled")),
                "conditions", arr(of("lastTransitionTime", now, "status", ready, "type", "Ready"),
                        of("lastTransitionTime", now, "status", ready, "type", "ContainersReady")),
                "containerStatuses", arr(of("containerID", "containerd://" + rng.hex(64), "name", container,
                        "ready", running, "restartCount", 0, "started", running,
                        "state", running ? of("running", of("startedAt", now))
                                : of("terminated", of("exitCode", 0, "reason", "Completed", "finishedAt", now)))));
        if (running && podIP != null) {
            status.put("hostIP", node.ip).put("hostIPs", arr(of("ip", node.ip))).put("phase", "Running")
                    .put("podIP", podIP).put("podIPs", arr(of("ip", podIP)));
        }
        Obj req = of("metadata", of("uid", podUid), "status", status);
        Request r = sim.request(rng, node.kubelet, t, "patch", Res.PODS, ns, pod, "status").bodies(req, null);
        sink.submit(r);
    }

    /** The kubelet fetches a configmap or secret a pod mounts. */
    static void kubeletGet(ClusterSim sim, Rng rng, long t, Node node, Res res, String ns, String name) {
        sim.submit(sim.request(rng, node.kubelet, t, "get", res, ns, name, null), rng);
    }

    /** The EndpointSlice controller rewrites an app's slice with its ready pods. */
    static void sliceUpdate(ClusterSim sim, Rng rng, long t, App app) {
        sliceUpdate(sim, rng, t, app, to(sim, rng));
    }

    static void sliceUpdate(ClusterSim sim, Rng rng, long t, App app, Sink sink) {
        List<Object> endpoints = new ArrayList<>();
        for (Pod p : app.pods) {
            endpoints.add(of("addresses", arr(p.ip), "conditions", of("ready", true, "serving", true, "terminating", false),
                    "targetRef", of("kind", "Pod", "namespace", app.namespace, "name", p.name, "uid", p.uid),
                    "nodeName", p.node.name));
        }
        String rv = sim.state.nextResourceVersion();
        Obj slice = of("kind", "EndpointSlice", "apiVersion", "discovery.k8s.io/v1",
                "metadata", of("name", app.slice, "generateName", app.name + "-", "namespace", app.namespace,
                        "resourceVersion", rv, "labels", of("endpointslice.kubernetes.io/managed-by",
                                "endpointslice-controller.k8s.io", "kubernetes.io/service-name", app.name)),
                "addressType", "IPv4", "endpoints", endpoints,
                "ports", arr(of("name", "http", "protocol", "TCP", "port", 8080)));
        Request r = sim.request(rng, sim.profile.endpointSliceController, t, "update", Res.ENDPOINTSLICES,
                app.namespace, app.slice, null).bodies(slice, slice.with("metadata",
                ((Obj) slice.get("metadata")).with("resourceVersion", sim.state.nextResourceVersion())));
        sink.submit(r);
    }

    /**
     * A rolling update of {@code app} (maxSurge 1, maxUnavailable 0) started at {@code t} by a patch of its
     * Deployment: new ReplicaSet, then pod by pod create → bind → kubelet → ready → old pod deleted.
     */
    static void rollout(ClusterSim sim, Rng rng, long t, App app) {
        rollout(sim, rng, t, app, to(sim, rng), to(sim, rng));
    }

    /** The same rollout, its requests through {@code sink} except the new ReplicaSet's create (through {@code rsSink}). */
    static void rollout(ClusterSim sim, Rng rng, long t, App app, Sink sink, Sink rsSink) {
        ClusterProfile p = sim.profile;
        app.rsHash = rng.suffix(9 + rng.nextInt(2));
        app.rsUid = rng.uuid();
        List<Pod> old = new ArrayList<>(app.pods);
        long at = t + rng.range(20_000, 120_000);
        Obj template = of("metadata", of("labels", of("app", app.name, "pod-template-hash", app.rsHash)),
                "spec", appPodSpec(app));
        Obj rs = of("kind", "ReplicaSet", "apiVersion", APIS_APPS,
                "metadata", of("name", app.rsName(), "namespace", app.namespace,
                        "labels", of("app", app.name, "pod-template-hash", app.rsHash),
                        "annotations", of("deployment.kubernetes.io/desired-replicas", Integer.toString(app.replicas),
                                "deployment.kubernetes.io/max-replicas", Integer.toString(app.replicas + 1),
                                "deployment.kubernetes.io/revision", Integer.toString(app.revision)),
                        "ownerReferences", arr(of("apiVersion", APIS_APPS, "kind", "Deployment", "name", app.name,
                                "uid", app.deploymentUid, "controller", true, "blockOwnerDeletion", true))),
                "spec", of("replicas", 1, "selector", of("matchLabels", of("app", app.name, "pod-template-hash", app.rsHash)),
                        "template", template));
        Obj rsResp = rs.with("metadata", ((Obj) rs.get("metadata")).with("uid", app.rsUid,
                "resourceVersion", sim.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)));
        rsSink.submit(sim.request(rng, p.deploymentController, at, "create", Res.REPLICASETS, app.namespace, app.rsName(), null)
                .bodies(rs, rsResp));
        app.pods.clear();
        at += rng.range(5_000, 40_000);
        for (int i = 0; i < app.replicas; i++) {
            Node node = sim.state.placeFor(app, rng);
            Pod pod = sim.state.newPod(app, node);
            createAppPod(sim, rng, at, app, pod, sink);
            app.pods.add(pod);
            bind(sim, rng, at + rng.range(8_000, 60_000), app.namespace, pod.name, pod.uid, node, sink);
            sink.submit(sim.request(rng, node.kubelet, at + rng.range(400_000, 900_000), "get", Res.CONFIGMAPS, app.namespace, app.configMap, null));
            sink.submit(sim.request(rng, node.kubelet, at + rng.range(950_000, 1_400_000), "get", Res.SECRETS, app.namespace, app.secret, null));
            long ready = at + rng.range(4 * Times.SECOND, 9 * Times.SECOND);
            podStatus(sim, rng, ready, node, app.namespace, pod.name, pod.uid, app.name, pod.ip, true, sink);
            sliceUpdate(sim, rng, ready + rng.range(50_000, 600_000), app, sink);
            if (i < old.size()) {
                Pod gone = old.get(i);
                long del = ready + rng.range(700_000, 1_500_000);
                sink.submit(sim.request(rng, p.replicaSetController, del, "delete", Res.PODS, app.namespace, gone.name, null));
                podStatus(sim, rng, del + rng.range(2 * Times.SECOND, 30 * Times.SECOND), gone.node, app.namespace,
                        gone.name, gone.uid, app.name, null, false, sink);
            }
            at = ready + rng.range(1_500_000, 3_000_000);
        }
        for (int i = app.replicas; i < old.size(); i++) {
            Pod gone = old.get(i);
            sink.submit(sim.request(rng, p.replicaSetController, at, "delete", Res.PODS, app.namespace, gone.name, null));
        }
        Obj status = of("kind", "Deployment", "apiVersion", APIS_APPS,
                "metadata", of("name", app.name, "namespace", app.namespace, "uid", app.deploymentUid,
                        "resourceVersion", sim.state.currentResourceVersion(), "generation", app.revision),
                "status", of("observedGeneration", app.revision, "replicas", app.replicas, "updatedReplicas", app.replicas,
                        "readyReplicas", app.replicas, "availableReplicas", app.replicas));
        sink.submit(sim.request(rng, p.deploymentController, at + rng.range(100_000, 900_000), "update", Res.DEPLOYMENTS,
                app.namespace, app.name, "status").bodies(status, status.with("metadata",
                ((Obj) status.get("metadata")).with("resourceVersion", sim.state.nextResourceVersion()))));
    }

    /** A Deployment as the API server returns it after a patch. */
    static Obj deployment(ClusterSim sim, App app, String managedBy) {
        return of("kind", "Deployment", "apiVersion", APIS_APPS,
                "metadata", of("name", app.name, "namespace", app.namespace, "uid", app.deploymentUid,
                        "resourceVersion", sim.state.nextResourceVersion(), "generation", app.revision,
                        "labels", of("app", app.name, "app.kubernetes.io/managed-by", managedBy,
                                "app.kubernetes.io/version", app.version())),
                "spec", of("replicas", app.replicas, "selector", of("matchLabels", of("app", app.name)),
                        "strategy", of("type", "RollingUpdate", "rollingUpdate", of("maxSurge", 1, "maxUnavailable", 0)),
                        "template", of("metadata", of("labels", of("app", app.name)), "spec", appPodSpec(app))),
                "status", of("observedGeneration", app.revision - 1, "replicas", app.replicas,
                        "readyReplicas", app.replicas));
    }
}
