package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * What the controllers do after a scenario's step, as the scenario's own requests: a pod created by its owner's
 * controller (generateName, ownerReferences, the namespace's pod-security policy), bound by the scheduler and
 * reported by the kubelet; ReplicaSets of Deployments; the Jobs of a CronJob.
 */
final class ControllerChains {
    private ControllerChains() {}

    static Obj ownerRef(String apiVersion, String kind, String name, String uid) {
        return of("apiVersion", apiVersion, "kind", kind, "name", name, "uid", uid, "controller", true,
                "blockOwnerDeletion", true);
    }

    /** The pod-security level the generator's namespaces enforce: privileged in kube-system and default. */
    static String podSecurity(String ns) {
        return ns.equals("kube-system") || ns.equals("default") ? "privileged:latest" : "restricted:latest";
    }

    /**
     * A controller creates a pod of an owner (generateName: the path has no name, the response has it). Returns the
     * request, not yet submitted, so that the caller can mark it as evidence or annotate it.
     */
    static Request ownedPod(ScenarioContext c, Identity controller, long t, String ns, String generateName, String pod,
                            String podUid, Obj labels, Obj owner, Obj spec, String qos) {
        Obj meta = of("generateName", generateName, "namespace", ns, "labels", labels, "ownerReferences", arr(owner));
        Obj req = of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", "Pod", "apiVersion", "v1",
                "metadata", meta.with("name", pod, "uid", podUid, "resourceVersion", c.state.nextResourceVersion(),
                        "creationTimestamp", Times.rfc3339Seconds(t)),
                "spec", Workloads.defaulted(spec, (String) spec.get("nodeName")),
                "status", of("phase", "Pending", "qosClass", qos));
        return c.request(controller, t, "create", Res.PODS, ns, null, null).bodies(req, resp)
                .annotate("pod-security.kubernetes.io/enforce-policy", podSecurity(ns));
    }

    /** After the create at {@code t}: the scheduler binds the pod (unless pinned), the kubelet starts it. Returns when it runs. */
    static long run(ScenarioContext c, long t, Node node, String ns, String pod, String podUid, String container,
                    String ip, boolean pinned) {
        Workloads.Sink sink = c::submit;
        long at = t;
        if (!pinned) {
            at += c.rng.range(8_000, 60_000);
            Workloads.bind(c.sim, c.rng, at, ns, pod, podUid, node, sink);
        }
        long running = at + c.rng.range(3 * S, 12 * S);
        Workloads.podStatus(c.sim, c.rng, running, node, ns, pod, podUid, container, ip, true, sink);
        return running;
    }

    /** A controller's status write ({@code <resource>/status}, Request level). */
    static Request status(ScenarioContext c, Identity controller, long t, Res res, String ns, String name, String uid,
                          String apiVersion, String kind, Obj status) {
        Obj body = of("kind", kind, "apiVersion", apiVersion,
                "metadata", of("name", name, "namespace", ns, "uid", uid, "resourceVersion", c.state.currentResourceVersion()),
                "status", status);
        return c.submit(c.request(controller, t, "update", res, ns, name, "status").bodies(body, null));
    }
}
