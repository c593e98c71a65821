package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * {@code kubectl debug node/<node>} by an intruder (S12; the kubectl node-debug pod that the Microsoft threat
 * matrix's "Writable hostPath mount" and attacker tooling copy): someone with cluster-wide pod rights looks at
 * the nodes, starts the debug pod (host PID/IPC/network, the node's / at /host, pinned with nodeName, named
 * {@code node-debugger-<node>-xxxxx}) and attaches to it, or execs into it to {@code chroot /host}; often
 * deletes it afterwards. It is the same shape as the SREs' routine {@code kubectl debug node} in
 * {@link AdminWork}, by design: the pattern fires on both (LOW), only the labels tell the attack apart.
 * Evidence: the pod create, the attach (or exec).
 */
final class DebugNodeAttachScenario implements Scenario {
    static final String[] IMAGES = {"busybox:1.36", "busybox:1.36", "ubuntu:22.04", "alpine:3.20",
            "nicolaka/netshoot:v0.13"};

    @Override
    public String name() {
        return "debug-node-attach";
    }

    @Override
    public String patternId() {
        return "node-debugger-pod-then-attach";
    }

    @Override
    public String description() {
        return "kubectl debug node/<node> by an outsider: node-debugger pod with the node's / mounted, then attach";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "platform-bootstrap", "Group", p.groupName("platform-operators")));
        Node node = c.state.unreservedNode(r.pick(p.nodes));
        long at = t;
        if (r.chance(0.7)) {
            c.submit(c.request(me, at, "list", Res.NODES, null, null, null).uri("?limit=500"));
            at += r.range(5 * S, 90 * S);
        }
        // kubectl debug node/<node> reads the node, then creates the pod
        c.submit(c.request(me, at, "get", Res.NODES, null, node.name, null));
        at += r.range(40_000, 300_000);
        String pod = "node-debugger-" + node.name.replace('.', '-') + "-" + r.suffix(5);
        if (pod.length() > 63) {
            pod = "node-debugger-" + r.suffix(5);
        }
        String podUid = r.uuid();
        String image = r.pick(IMAGES);
        boolean sysadmin = r.chance(0.35); // --profile=sysadmin: privileged as well
        Obj container = of("name", "debugger", "image", image, "resources", of(),
                "volumeMounts", arr(of("name", "host-root", "mountPath", "/host")),
                "terminationMessagePolicy", "File", "imagePullPolicy", "IfNotPresent", "stdin", true, "tty", true);
        if (sysadmin) {
            container.put("securityContext", of("privileged", true));
        }
        Obj spec = of("volumes", arr(of("name", "host-root", "hostPath", of("path", "/", "type", ""))),
                "containers", arr(container),
                "restartPolicy", "Never", "nodeName", node.name, "hostNetwork", true, "hostPID", true, "hostIPC", true,
                "tolerations", arr(of("operator", "Exists")));
        Obj meta = of("name", pod, "namespace", "default", "creationTimestamp", null,
                "labels", of("app.kubernetes.io/managed-by", "kubectl-debug"));
        Obj req = of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", "Pod", "apiVersion", "v1",
                "metadata", meta.with("uid", podUid, "resourceVersion", c.state.nextResourceVersion(),
                        "creationTimestamp", Times.rfc3339Seconds(at)),
                "spec", Workloads.defaulted(spec, node.name), "status", of("phase", "Pending", "qosClass", "BestEffort"));
        c.evidence(c.request(me, at, "create", Res.PODS, "default", pod, null).bodies(req, resp)
                .annotate("pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
        long running = at + r.range(2 * S, 9 * S);
        Workloads.podStatus(c.sim, r, running, node, "default", pod, podUid, "debugger", node.ip, true);

        // kubectl waits for Running and attaches; some come back later with exec and chroot
        Request shell;
        if (r.chance(0.75)) {
            shell = c.sim.streaming(r, me, running + r.range(300_000, 3 * S), c.websocket, "default", pod, "attach",
                    "?container=debugger&stdin=true&stdout=true&tty=true", (long) ((60 + r.exp(420)) * S));
        } else {
            if (r.chance(0.5)) {
                c.submit(c.request(me, running + r.range(5 * S, 60 * S), "get", Res.PODS, "default", pod, null));
            }
            String query = "?command=chroot&command=%2Fhost&command=bash&container=debugger&stdin=true&stdout=true&tty=true";
            shell = c.sim.streaming(r, me, running + r.range(70 * S, 5 * 60 * S), c.websocket, "default", pod, "exec",
                    query, (long) ((60 + r.exp(420)) * S));
            shell.command = HumanActivity.commandOf(query);
        }
        c.evidence(shell);
        if (r.chance(0.6)) {
            c.submit(c.request(me, shell.completed + r.range(5 * S, 300 * S), "delete", Res.PODS, "default", pod, null));
        }
    }
}
