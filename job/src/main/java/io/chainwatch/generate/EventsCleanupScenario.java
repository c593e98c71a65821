package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Node;
import io.chainwatch.generate.ClusterProfile.Pod;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * High-impact change, then anti-forensics (S22; Microsoft's threat matrix "Delete K8S events", MS-TA9022, T1070):
 * a user makes one high-impact change - a binding of their own account or a service account to cluster-admin, a
 * pod that reaches its node (then a shell in it), a namespaced wildcard Role, a validating webhook that receives
 * every Secret write, or an ephemeral debug container in an application pod - and minutes later lists the
 * Events of the namespace concerned and deletes them: one by one as {@code kubectl delete events} does
 * (70%), or with one {@code deletecollection} from a script. Evidence: the high-impact request, the first
 * deletion.
 */
final class EventsCleanupScenario implements Scenario {
    static final String RBAC = "rbac.authorization.k8s.io";
    static final String[] REASONS = {"Scheduled", "Pulling", "Pulled", "Created", "Started", "Killing", "SuccessfulCreate",
            "SuccessfulDelete", "ScalingReplicaSet"};

    @Override
    public String name() {
        return "events-cleanup";
    }

    @Override
    public String patternId() {
        return "high-impact-change-then-events-deleted";
    }

    @Override
    public String description() {
        return "cluster-admin binding, node-access pod, wildcard role, webhook or ephemeral container, then the user deletes Events";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Identity me = c.attacker("ops", ClusterProfile.rbacReason("ClusterRoleBinding", "ops-operators", "ClusterRole",
                "ops-operator", "Group", p.groupName("ops")));
        long at = t;
        String ns;
        String involved = null;
        String create = "?fieldManager=kubectl-create&fieldValidation=Strict";
        int variant = r.nextInt(5);
        switch (variant) {
            case 0: { // a binding to cluster-admin
                ns = "kube-system";
                boolean sa = r.chance(0.5);
                String subjectName = sa ? r.pick(new String[] {"default", "kube-proxy", "node-problem-detector"}) : c.email();
                String name = (sa ? "system:" + subjectName + "-admin" : "ops-admin-" + c.login.replace('.', '-'))
                        + (c.state.claim("crb/" + subjectName) ? "" : "-" + r.suffix(4));
                if (r.chance(0.6)) {
                    c.submit(c.request(me, at, "list", Res.CLUSTERROLEBINDINGS, null, null, null).uri("?limit=500"));
                    at += r.range(5 * S, 60 * S);
                }
                Obj meta = of("name", name, "creationTimestamp", null);
                Obj subject = sa ? of("kind", "ServiceAccount", "name", subjectName, "namespace", "kube-system")
                        : of("kind", "User", "apiGroup", RBAC, "name", subjectName);
                Obj req = of("kind", "ClusterRoleBinding", "apiVersion", RBAC + "/v1", "metadata", meta,
                        "roleRef", of("apiGroup", RBAC, "kind", "ClusterRole", "name", "cluster-admin"), "subjects", arr(subject));
                c.evidence(c.request(me, at, "create", Res.CLUSTERROLEBINDINGS, null, name, null).uri(create)
                        .bodies(req, req.with("metadata", meta.with("uid", r.uuid(), "resourceVersion",
                                c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)))));
                break;
            }
            case 1: { // a pod on the node's namespaces with its root, then a shell
                ns = r.chance(0.6) ? "default" : "kube-system";
                String pod = r.pick(new String[] {"debug-", "net-check-", "diag-"}) + r.suffix(5);
                Node node = r.pick(p.nodes);
                Obj spec = of("hostPID", true, "hostNetwork", true, "nodeName", node.name,
                        "containers", arr(of("name", "debug", "image", "docker.io/library/alpine:3.20",
                                "command", arr("sleep", "infinity"), "securityContext", of("privileged", true),
                                "volumeMounts", arr(of("name", "host", "mountPath", "/host")), "stdin", true, "tty", true)),
                        "volumes", arr(of("name", "host", "hostPath", of("path", "/"))),
                        "tolerations", arr(of("operator", "Exists")));
                String podUid = r.uuid();
                involved = pod;
                Obj meta = of("name", pod, "namespace", ns, "creationTimestamp", null, "labels", of("run", pod));
                c.evidence(c.request(me, at, "create", Res.PODS, ns, pod, null)
                        .uri("?fieldManager=kubectl-run&fieldValidation=Strict")
                        .bodies(of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", of()),
                                of("kind", "Pod", "apiVersion", "v1", "metadata", meta.with("uid", podUid,
                                        "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)),
                                        "spec", Workloads.defaulted(spec, node.name), "status", of("phase", "Pending", "qosClass", "BestEffort")))
                        .annotate("pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
                long running = ControllerChains.run(c, at, node, ns, pod, podUid, "debug", node.ip, true);
                at = running + r.range(10 * S, 90 * S);
                Request exec = c.sim.streaming(r, me, at, c.websocket, ns, pod, "exec",
                        "?command=sh&container=debug&stdin=true&stdout=true&tty=true", (long) ((60 + r.exp(240)) * S));
                exec.command = "sh";
                c.submit(exec);
                at = exec.completed + r.range(5 * S, 60 * S);
                c.submit(c.request(me, at, "delete", Res.PODS, ns, pod, null));
                break;
            }
            case 2: { // a wildcard Role in an app namespace, bound to a service account there
                ns = r.pick(p.appNamespaces());
                String name = "ops-maintenance" + (c.state.claim("role/" + ns + "/ops-maintenance") ? "" : "-" + r.suffix(4));
                Obj meta = of("name", name, "namespace", ns, "creationTimestamp", null);
                Obj req = of("kind", "Role", "apiVersion", RBAC + "/v1", "metadata", meta,
                        "rules", arr(of("verbs", arr("*"), "apiGroups", arr("*"), "resources", arr("*"))));
                c.evidence(c.request(me, at, "create", Res.ROLES, ns, name, null).uri(create)
                        .bodies(req, req.with("metadata", meta.with("uid", r.uuid(), "resourceVersion",
                                c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)))));
                at += r.range(10 * S, 60 * S);
                Obj bMeta = of("name", name, "namespace", ns, "creationTimestamp", null);
                Obj bReq = of("kind", "RoleBinding", "apiVersion", RBAC + "/v1", "metadata", bMeta,
                        "roleRef", of("apiGroup", RBAC, "kind", "Role", "name", name),
                        "subjects", arr(of("kind", "ServiceAccount", "name", "default", "namespace", ns)));
                c.submit(c.request(me, at, "create", Res.ROLEBINDINGS, ns, name, null).uri(create)
                        .bodies(bReq, bReq.with("metadata", bMeta.with("uid", r.uuid(), "resourceVersion",
                                c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)))));
                break;
            }
            case 3: { // a validating webhook that is sent every Secret write (and never blocks)
                ns = "kube-system";
                String name = "secrets-policy-check" + (c.state.claim("vwc/secrets-policy-check") ? "" : "-" + r.suffix(4));
                Obj meta = of("name", name, "creationTimestamp", null);
                Obj req = of("kind", "ValidatingWebhookConfiguration", "apiVersion", "admissionregistration.k8s.io/v1",
                        "metadata", meta, "webhooks", arr(of("name", "validate.secrets-policy.io",
                                "clientConfig", of("url", "https://" + r.pick(WebhookMutationScenario.HOSTS) + "/validate",
                                        "caBundle", WebhookMutationScenario.caBundle(r)),
                                "rules", arr(of("operations", arr("CREATE", "UPDATE"), "apiGroups", arr(""),
                                        "apiVersions", arr("v1"), "resources", arr("secrets"), "scope", "*")),
                                "failurePolicy", "Ignore", "sideEffects", "None", "timeoutSeconds", 3,
                                "admissionReviewVersions", arr("v1"))));
                c.evidence(c.request(me, at, "create", Res.VALIDATINGWEBHOOKCONFIGURATIONS, null, name, null).uri(create)
                        .bodies(req, req.with("metadata", meta.with("uid", r.uuid(), "resourceVersion",
                                c.state.nextResourceVersion(), "generation", 1, "creationTimestamp", Times.rfc3339Seconds(at)))));
                break;
            }
            default: { // kubectl debug -it <pod> --image=busybox --target=<app>: an ephemeral container
                App app = AttackRequests.changeableApp(c, "events-cleanup/");
                if (app == null) {
                    return;
                }
                ns = app.namespace;
                Pod pod = r.pick(app.pods);
                involved = pod.name;
                c.submit(c.request(me, at, "get", Res.PODS, ns, pod.name, null));
                at += r.range(300_000, 3 * S);
                String container = "debugger-" + r.suffix(5);
                Obj patch = of("spec", of("ephemeralContainers", arr(of("name", container, "image", "busybox:1.36",
                        "stdin", true, "tty", true, "targetContainerName", app.name, "terminationMessagePolicy", "File",
                        "imagePullPolicy", "IfNotPresent"))));
                c.evidence(c.request(me, at, "patch", Res.PODS, ns, pod.name, "ephemeralcontainers").bodies(patch, null));
                at += r.range(3 * S, 10 * S);
                Request attach = c.sim.streaming(r, me, at, c.websocket, ns, pod.name, "attach",
                        "?container=" + container + "&stdin=true&stdout=true&tty=true", (long) ((40 + r.exp(200)) * S));
                c.submit(attach);
                at = attach.completed;
                break;
            }
        }

        // the cleanup: the namespace's events, listed, then deleted
        at += r.range(30 * S, 600 * S);
        c.submit(c.request(me, at, "list", Res.EVENTS, ns, null, null).uri("?limit=500"));
        at += r.range(3 * S, 40 * S);
        if (r.chance(0.7)) {
            int n = r.between(3, 12);
            for (int i = 0; i < n; i++) {
                String event = (involved != null && (i == 0 || r.chance(0.6)) ? involved
                        : r.pick(new String[] {"coredns", "kube-proxy", "metrics-server", ns}) + "-" + r.suffix(5))
                        + "." + r.hex(16);
                Obj status = of("kind", "Status", "apiVersion", "v1", "metadata", of(), "status", "Success",
                        "details", of("name", event, "kind", "events", "uid", r.uuid()));
                Request del = c.request(me, at, "delete", Res.EVENTS, ns, event, null).bodies(null, status);
                if (i == 0) {
                    c.evidence(del);
                } else {
                    c.submit(del);
                }
                at += r.range(40_000, 400_000);
            }
        } else {
            Identity script = me.from(new String[] {c.ip}, "OpenAPI-Generator/31.0.0/python");
            c.evidence(c.request(script, at, "deletecollection", Res.EVENTS, ns, null, null));
        }
    }
}
