package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Node breakout (S11): a user creates a pod that reaches its node (privileged, host PID/IPC/network, or the
 * node's root or container runtime socket mounted), then execs into that very pod within minutes, often with
 * {@code nsenter -t 1}. The exec is logged as ResponseStarted (101) and, when the shell ends, ResponseComplete
 * with the same auditID. Evidence: the pod create, the exec.
 */
final class NodeBreakoutScenario implements Scenario {
    static final String[] NAMES = {"node-shell-", "debug-", "sys-diag-", "nsenter-", "host-inspect-", "kube-proxy-check-"};
    static final String[] IMAGES = {"docker.io/library/alpine:3.20", "docker.io/library/ubuntu:24.04",
            "docker.io/library/busybox:1.36", "ghcr.io/nicolaka/netshoot:v0.13"};

    @Override
    public String name() {
        return "node-breakout";
    }

    @Override
    public String patternId() {
        return "privileged-pod-then-exec";
    }

    @Override
    public String description() {
        return "privileged / hostPID / hostPath pod created by a user, then exec into it by the same user";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Identity me = c.attacker("ops", ClusterProfile.rbacReason("ClusterRoleBinding", "ops-operators", "ClusterRole",
                "ops-operator", "Group", p.groupName("ops")));
        double where = r.nextDouble();
        String ns = where < 0.5 ? "default" : where < 0.75 ? "kube-system" : r.pick(p.appNamespaces());
        String pod = r.pick(NAMES) + r.suffix(4 + r.nextInt(2));
        Node node = c.state.unreservedNode(r.pick(p.nodes)); // not a node-token-misuse instance's node
        boolean pinned = r.chance(0.7);
        String image = r.pick(IMAGES);

        // the pod spec: one of four ways to reach the node
        int variant = r.nextInt(4);
        Obj container = of("name", "shell", "image", image);
        List<Object> volumes = new ArrayList<>();
        List<Object> mounts = new ArrayList<>();
        Obj spec = of();
        List<String> violations = new ArrayList<>();
        switch (variant) {
            case 0: // privileged + hostPID + the node's root
                spec.put("hostPID", true);
                container.put("command", arr("nsenter", "-t", "1", "-m", "-u", "-i", "-n", "sh"));
                container.put("securityContext", of("privileged", true));
                volumes.add(of("name", "host", "hostPath", of("path", "/")));
                mounts.add(of("name", "host", "mountPath", "/host"));
                violations.add("host namespaces (hostPID=true)");
                violations.add("privileged (container \"shell\" must not set securityContext.privileged=true)");
                violations.add("hostPath volumes (volume \"host\")");
                break;
            case 1: // host namespaces + privileged
                spec.put("hostPID", true).put("hostNetwork", true).put("hostIPC", true);
                container.put("command", arr("sleep", "infinity"));
                container.put("securityContext", of("privileged", true));
                violations.add("host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)");
                violations.add("privileged (container \"shell\" must not set securityContext.privileged=true)");
                break;
            case 2: // the container runtime socket
                container.put("command", arr("sleep", "infinity"));
                volumes.add(of("name", "runtime", "hostPath", of("path", r.chance(0.5)
                        ? "/run/containerd/containerd.sock" : "/var/run/docker.sock", "type", "Socket")));
                mounts.add(of("name", "runtime", "mountPath", "/run/containerd/containerd.sock"));
                violations.add("hostPath volumes (volume \"runtime\")");
                break;
            default: // the kubelet's credentials and /etc/kubernetes
                spec.put("hostNetwork", true);
                container.put("command", arr("sleep", "infinity"));
                volumes.add(of("name", "kubelet", "hostPath", of("path", "/var/lib/kubelet")));
                volumes.add(of("name", "etc", "hostPath", of("path", "/etc/kubernetes")));
                mounts.add(of("name", "kubelet", "mountPath", "/host/var/lib/kubelet"));
                mounts.add(of("name", "etc", "mountPath", "/host/etc/kubernetes"));
                violations.add("host namespaces (hostNetwork=true)");
                violations.add("hostPath volumes (volumes \"kubelet\", \"etc\")");
                break;
        }
        container.put("stdin", true).put("tty", true);
        if (!mounts.isEmpty()) {
            container.put("volumeMounts", mounts);
        }
        if (pinned) {
            spec.put("nodeName", node.name);
        }
        spec.put("tolerations", arr(of("operator", "Exists")));
        spec.put("containers", arr(container));
        if (!volumes.isEmpty()) {
            spec.put("volumes", volumes);
        }
        String podUid = r.uuid();
        Obj meta = of("name", pod, "namespace", ns, "creationTimestamp", null, "labels", of("run", pod));
        Obj req = of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", "Pod", "apiVersion", "v1",
                "metadata", meta.with("uid", podUid, "resourceVersion", c.state.nextResourceVersion(),
                        "creationTimestamp", Times.rfc3339Seconds(t)),
                "spec", Workloads.defaulted(spec, pinned ? node.name : null),
                "status", of("phase", "Pending", "qosClass", "BestEffort"));
        long at = t;
        c.evidence(c.request(me, at, "create", Res.PODS, ns, pod, null)
                .uri("?fieldManager=kubectl-run&fieldValidation=Strict").bodies(req, resp)
                .annotate("pod-security.kubernetes.io/audit-violations",
                        "would violate PodSecurity \"baseline:latest\": " + String.join(", ", violations),
                        "pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
        if (!pinned) {
            Workloads.bind(c.sim, r, at + r.range(10_000, 80_000), ns, pod, podUid, node);
        }
        String ip = spec.get("hostNetwork") != null ? node.ip : node.nextPodIP();
        long running = at + r.range(2 * S, 9 * S);
        c.submit(statusOf(c, running, node, ns, pod, podUid, ip));
        if (r.chance(0.6)) {
            at = running + r.range(2 * S, 20 * S);
            c.submit(c.request(me, at, "get", Res.PODS, ns, pod, null));
        }

        // the shell
        at = Math.max(at, running) + r.range(10 * S, 240 * S);
        String command;
        if (variant == 0) {
            command = "?command=nsenter&command=-t&command=1&command=-m&command=-u&command=-i&command=-n&command=sh";
        } else if (variant == 2) {
            command = "?command=sh&command=-c&command=ctr+-n+k8s.io+containers+list";
        } else {
            command = "?command=" + (r.chance(0.5) ? "sh" : "bash");
        }
        String query = command + "&container=shell&stdin=true&stdout=true&tty=true";
        long duration = (long) ((60 + r.exp(300)) * S);
        Request exec = c.sim.streaming(r, me, at, c.websocket, ns, pod, "exec", query, duration);
        exec.command = HumanActivity.commandOf(query);
        c.evidence(exec);
        if (r.chance(0.5)) {
            c.submit(c.request(me, exec.started + r.range(20 * S, 120 * S), "list", Res.SECRETS, "kube-system", null, null)
                    .uri("?limit=500"));
        }
        if (r.chance(0.6)) {
            c.submit(c.request(me, exec.completed + r.range(10 * S, 300 * S), "delete", Res.PODS, ns, pod, null));
        }
    }

    private static Request statusOf(ScenarioContext c, long t, Node node, String ns, String pod, String podUid, String ip) {
        String now = Times.rfc3339Seconds(t);
        Obj status = of("conditions", arr(of("lastTransitionTime", now, "status", "True", "type", "Ready")),
                "containerStatuses", arr(of("containerID", "containerd://" + c.rng.hex(64), "name", "shell", "ready", true,
                        "restartCount", 0, "started", true, "state", of("running", of("startedAt", now)))),
                "hostIP", node.ip, "phase", "Running", "podIP", ip, "podIPs", arr(of("ip", ip)));
        return c.request(node.kubelet, t, "patch", Res.PODS, ns, pod, "status")
                .bodies(of("metadata", of("uid", podUid), "status", status), null);
    }
}
