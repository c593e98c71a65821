package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Node;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Ephemeral-container injection (S13; Falco "EphemeralContainers Created", Elastic's ephemeral-container rule,
 * the threat matrix's sidecar injection): {@code kubectl debug -it <pod> --image=... --target=<container>} into a
 * running pod, to work inside its namespaces and next to its token without a visible new pod. kubectl reads
 * the pod and patches {@code pods/ephemeralcontainers} (a strategic-merge patch with the new container);
 * in a namespace that enforces the restricted Pod Security profile the first try with the default or
 * sysadmin profile is often refused (403) and repeated with {@code --profile=restricted}; the kubelet reports
 * the container running; kubectl attaches to it (or the intruder execs into it later). Targets are app pods,
 * or CoreDNS in kube-system (its token, its network position). Evidence: the accepted patch, the attach
 * (or exec).
 */
final class EphemeralAttachScenario implements Scenario {
    static final String[] IMAGES = {"busybox:1.36", "nicolaka/netshoot:v0.13", "alpine:3.20",
            "docker.io/bitnami/kubectl:1.31", "ubuntu:24.04"};

    @Override
    public String name() {
        return "ephemeral-attach";
    }

    @Override
    public String patternId() {
        return "ephemeral-container-then-attach";
    }

    @Override
    public String description() {
        return "kubectl debug into a running pod: ephemeral container patched in, then attach to it";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        // the target: an app pod (restricted namespace) or a cluster DNS pod in kube-system
        String ns;
        String pod;
        String target;
        Node node;
        String podIP;
        Identity me;
        boolean restricted;
        if (r.chance(0.25) && !p.dnsPods.isEmpty()) {
            Identity dns = r.pick(p.dnsPods);
            ns = "kube-system";
            pod = dns.extra(Identity.POD_NAME);
            target = p.dnsName;
            String nodeName = dns.extra("authentication.kubernetes.io/node-name");
            node = p.nodes.stream().filter(n -> n.name.equals(nodeName)).findFirst().orElse(p.nodes.get(0));
            podIP = dns.sourceIPs[0];
            restricted = false;
            me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding", "platform-operators",
                    "ClusterRole", "platform-bootstrap", "Group", p.groupName("platform-operators")));
        } else {
            App app = c.state.popularApp(r);
            if (app.pods.isEmpty()) {
                return;
            }
            Pod target0 = r.pick(app.pods);
            ns = app.namespace;
            pod = target0.name;
            target = app.name;
            node = target0.node;
            podIP = target0.ip;
            restricted = true;
            me = c.attacker(ns + "-devs", ClusterProfile.rbacReason("RoleBinding", ns + "-debuggers/" + ns,
                    "ClusterRole", "pod-debugger", "Group", p.groupName(ns + "-devs")));
        }
        String image = r.pick(IMAGES);
        long at = t;
        if (r.chance(0.5)) {
            c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?limit=500"));
            at += r.range(5 * S, 60 * S);
        }
        // a refused first try: the default (or sysadmin) profile breaks the namespace's restricted policy
        if (restricted && r.chance(0.45)) {
            c.submit(c.request(me, at, "get", Res.PODS, ns, pod, null));
            at += r.range(100_000, 600_000);
            boolean sysadmin = r.chance(0.4);
            String name = "debugger-" + r.suffix(5);
            Obj container = container(name, image, target, sysadmin ? of("privileged", true) : null);
            Request refused = patch(c, me, at, ns, pod, container, null);
            refused.refusedByAdmission("pods \"" + pod + "\" is forbidden: violates PodSecurity \"restricted:latest\": "
                    + (sysadmin ? "privileged (container \"" + name + "\" must not set securityContext.privileged=true), " : "")
                    + "allowPrivilegeEscalation != false (container \"" + name
                    + "\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \""
                    + name + "\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (container \""
                    + name + "\" must not set runAsNonRoot=false), seccompProfile (container \"" + name
                    + "\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
            refused.annotate("pod-security.kubernetes.io/enforce-policy", "restricted:latest");
            c.submit(refused);
            at += r.range(20 * S, 120 * S);
        }
        c.submit(c.request(me, at, "get", Res.PODS, ns, pod, null));
        at += r.range(100_000, 600_000);
        String name = "debugger-" + r.suffix(5);
        Obj security = restricted
                ? of("allowPrivilegeEscalation", false, "capabilities", of("drop", arr("ALL")), "runAsNonRoot", true,
                        "seccompProfile", of("type", "RuntimeDefault"))
                : r.chance(0.5) ? of("privileged", true) : null;
        Obj container = container(name, image, target, security);
        Obj podMeta = of("name", pod, "namespace", ns, "uid", r.uuid(), "resourceVersion", c.state.nextResourceVersion());
        Obj resp = of("kind", "Pod", "apiVersion", "v1", "metadata", podMeta,
                "spec", of("nodeName", node.name, "ephemeralContainers", arr(container)),
                "status", of("phase", "Running", "podIP", podIP, "hostIP", node.ip));
        Request inject = patch(c, me, at, ns, pod, container, resp);
        if (restricted) {
            inject.annotate("pod-security.kubernetes.io/enforce-policy", "restricted:latest");
        }
        c.evidence(inject);

        // the kubelet starts it and reports ephemeralContainerStatuses
        long running = at + r.range(2 * S, 8 * S);
        String now = Times.rfc3339Seconds(running);
        Obj status = of("ephemeralContainerStatuses", arr(of("containerID", "containerd://" + r.hex(64), "image", image,
                "name", name, "ready", false, "restartCount", 0,
                "state", of("running", of("startedAt", now)))));
        c.submit(c.request(node.kubelet, running, "patch", Res.PODS, ns, pod, "status")
                .bodies(of("metadata", of("uid", podMeta.get("uid")), "status", status), null));

        Request shell;
        if (r.chance(0.8)) {
            shell = c.sim.streaming(r, me, running + r.range(200_000, 2 * S), c.websocket, ns, pod, "attach",
                    "?container=" + name + "&stdin=true&stdout=true&tty=true", (long) ((40 + r.exp(300)) * S));
        } else {
            String query = "?command=sh&container=" + name + "&stdin=true&stdout=true&tty=true";
            shell = c.sim.streaming(r, me, running + r.range(60 * S, 6 * 60 * S), c.websocket, ns, pod, "exec", query,
                    (long) ((40 + r.exp(300)) * S));
            shell.command = HumanActivity.commandOf(query);
        }
        c.evidence(shell);
    }

    private static Obj container(String name, String image, String target, Obj securityContext) {
        Obj o = of("name", name, "image", image, "resources", of(), "terminationMessagePolicy", "File",
                "imagePullPolicy", "IfNotPresent", "stdin", true, "tty", true, "targetContainerName", target);
        return o.opt("securityContext", securityContext);
    }

    /** kubectl debug's strategic-merge patch of pods/ephemeralcontainers, logged with its body. */
    private static Request patch(ScenarioContext c, Identity me, long at, String ns, String pod, Obj container, Obj resp) {
        Request req = c.request(me, at, "patch", Res.PODS, ns, pod, "ephemeralcontainers")
                .bodies(of("spec", of("ephemeralContainers", List.of(container))), resp);
        req.level = Request.Level.REQUEST_RESPONSE;
        return req;
    }
}
