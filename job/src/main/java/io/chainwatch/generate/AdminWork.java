package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Human;
import io.chainwatch.generate.ClusterProfile.Node;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Rare but legitimate administration that looks like an attack step, by a named SRE from their usual IPs:
 * a break-glass binding of the on-call group to cluster-admin (removed after an hour or so), and
 * {@code kubectl debug node/...} (a host-namespace pod with the node's root mounted, then attach). Office hours
 * on weekdays only. The detection pack is expected to flag them ({@code cluster-admin-binding-created},
 * {@code privileged-pod-then-exec}): that is the point of keeping them in the background.
 */
final class AdminWork {
    private AdminWork() {}

    static void install(ClusterSim sim, Rng rng, long start) {
        ClusterProfile p = sim.profile;
        List<HumanActivity.Person> admins = new ArrayList<>();
        for (Human h : p.humans) {
            if (h.admin) {
                admins.add(new HumanActivity.Person(p, h));
            }
        }
        Diurnal office = Diurnal.humans(p);
        double weekSeconds = 7 * 86400.0;
        double mean = meanFactor(office);
        sim.add(Actor.poisson("admin/break-glass", rng.child("break-glass"), start,
                weekSeconds / TrafficModel.BREAK_GLASS_PER_WEEK * mean, office, (s, t, r) -> {
                    if (office.officeHours(t)) {
                        breakGlass(s, r, t, r.pick(admins));
                    }
                }));
        sim.add(Actor.poisson("admin/debug-node", rng.child("debug-node"), start,
                weekSeconds / TrafficModel.DEBUG_NODE_PER_WEEK * mean, office, (s, t, r) -> {
                    if (office.officeHours(t)) {
                        debugNode(s, r, t, r.pick(admins));
                    }
                }));
    }

    /** Average of the curve over a week, restricted to office hours (what the thinning keeps). */
    static double meanFactor(Diurnal d) {
        double sum = 0;
        int n = 0;
        for (long t = 0; t < 7 * Times.DAY; t += 10 * Times.MINUTE) {
            sum += d.officeHours(t) ? d.factor(t) : 0;
            n++;
        }
        return sum / n;
    }

    static void breakGlass(ClusterSim sim, Rng rng, long t, HumanActivity.Person admin) {
        Identity me = admin.identity(rng);
        String day = Times.rfc3339Seconds(t).substring(0, 10).replace("-", "");
        String name = "break-glass-" + day + "-" + admin.human.login;
        String group = sim.profile.groupName("sre-oncall");
        Obj req = of("kind", "ClusterRoleBinding", "apiVersion", "rbac.authorization.k8s.io/v1",
                "metadata", of("name", name, "creationTimestamp", null,
                        "annotations", of("corp.example/ticket", "INC-" + rng.between(10000, 99999),
                                "corp.example/expires", Times.rfc3339Seconds(t + 2 * Times.HOUR))),
                "roleRef", of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "cluster-admin"),
                "subjects", arr(of("kind", "Group", "apiGroup", "rbac.authorization.k8s.io", "name", group)));
        String uid = rng.uuid();
        Obj resp = req.with("metadata", ((Obj) req.get("metadata")).with("uid", uid,
                "resourceVersion", sim.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(t)));
        sim.submit(sim.request(rng, me, t, "create", Res.CLUSTERROLEBINDINGS, null, name, null)
                .uri("?fieldManager=kubectl-create&fieldValidation=Strict").bodies(req, resp), rng);
        long end = t + (long) ((45 + rng.exp(45)) * 60 * S);
        sim.add(Actor.once("admin/break-glass-end", rng.child(name), end, (s, at, r) -> {
            Obj status = of("kind", "Status", "apiVersion", "v1", "metadata", of(), "status", "Success",
                    "details", of("name", name, "group", "rbac.authorization.k8s.io", "kind", "clusterrolebindings",
                            "uid", uid));
            s.submit(s.request(r, admin.identity(r), at, "delete", Res.CLUSTERROLEBINDINGS, null, name, null)
                    .bodies(of("kind", "DeleteOptions", "apiVersion", "rbac.authorization.k8s.io/v1",
                            "propagationPolicy", "Background"), status), r);
        }));
    }

    /** {@code kubectl debug node/<node> -it --image=busybox}: the legacy profile's pod, then attach. */
    static void debugNode(ClusterSim sim, Rng rng, long t, HumanActivity.Person admin) {
        ClusterProfile p = sim.profile;
        Identity me = admin.identity(rng);
        Node node = rng.pick(p.nodes);
        String pod = "node-debugger-" + node.name.replace('.', '-') + "-" + rng.suffix(5);
        if (pod.length() > 63) {
            pod = "node-debugger-" + rng.suffix(5);
        }
        String podUid = rng.uuid();
        String image = "busybox:1.36";
        Obj spec = of("volumes", arr(of("name", "host-root", "hostPath", of("path", "/", "type", ""))),
                "containers", arr(of("name", "debugger", "image", image, "resources", of(),
                        "volumeMounts", arr(of("name", "host-root", "mountPath", "/host")),
                        "terminationMessagePolicy", "File", "imagePullPolicy", "IfNotPresent",
                        "stdin", true, "tty", true)),
                "restartPolicy", "Never", "nodeName", node.name, "hostNetwork", true, "hostPID", true, "hostIPC", true,
                "tolerations", arr(of("operator", "Exists")));
        Obj meta = of("name", pod, "namespace", "default", "creationTimestamp", null,
                "labels", of("app.kubernetes.io/managed-by", "kubectl-debug"));
        Obj req = of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of());
        Obj resp = of("kind", "Pod", "apiVersion", "v1",
                "metadata", meta.with("uid", podUid, "resourceVersion", sim.state.nextResourceVersion(),
                        "creationTimestamp", Times.rfc3339Seconds(t)),
                "spec", Workloads.defaulted(spec, node.name), "status", of("phase", "Pending", "qosClass", "BestEffort"));
        sim.submit(sim.request(rng, me, t, "create", Res.PODS, "default", pod, null)
                .bodies(req, resp)
                .annotate("pod-security.kubernetes.io/enforce-policy", "privileged:latest"), rng);
        long running = t + rng.range(2 * S, 6 * S);
        String ip = node.ip;
        Workloads.podStatus(sim, rng, running, node, "default", pod, podUid, "debugger", ip, true);
        long attach = running + rng.range(300_000, 2 * S);
        long duration = (long) ((60 + rng.exp(420)) * S);
        Request a = sim.streaming(rng, me, attach, admin.human.websocket, "default", pod, "attach",
                "?container=debugger&stdin=true&stdout=true&tty=true", duration);
        sim.submit(a, rng);
        if (rng.chance(0.6)) {
            sim.submit(sim.request(rng, me, a.completed + rng.range(10 * S, 600 * S), "delete", Res.PODS, "default", pod, null), rng);
        }
    }
}
