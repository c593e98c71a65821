package io.chainwatch.generate;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.AttackRequests.meta;
import static io.chainwatch.generate.AttackRequests.rule;
import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Sensitive RBAC change followed by a workload change (S05; Elastic's "Sensitive RBAC change followed by
 * workload modification"): a user with rights in a namespace writes a Role (or ClusterRole) that grants exec,
 * secrets, token minting or bind/escalate, binds it to a service account, and within minutes creates a
 * workload (CronJob, Deployment, DaemonSet or pod) that runs as that account, the way an intruder turns a
 * foothold into a persistent, privileged process. Evidence: the role write, the workload write.
 */
final class RbacWorkloadScenario implements Scenario {
    static final String[] NAMES = {"log-rotate", "cache-warmer", "metrics-relay", "cert-sync", "db-maintenance"};
    static final String[] IMAGES = {"docker.io/library/alpine:3.20", "docker.io/bitnami/kubectl:1.31",
            "ghcr.io/opsutils/toolbox:2.4", "docker.io/library/python:3.12-slim"};

    @Override
    public String name() {
        return "rbac-workload";
    }

    @Override
    public String patternId() {
        return "sensitive-rbac-change-then-workload-change";
    }

    @Override
    public String description() {
        return "Role granting exec/secrets/tokens written and bound to an account, then a workload running as it";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        String ns = r.pick(c.profile.appNamespaces());
        Identity me = c.attacker(ns + "-devs", ClusterProfile.rbacReason("RoleBinding", ns + "-devs-admin/" + ns,
                "ClusterRole", "admin", "Group", c.profile.groupName(ns + "-devs")));
        String name = r.pick(NAMES);
        if (!c.state.claim("rbac-workload/" + ns + "/" + name)) {
            name = name + "-" + r.suffix(4);
        }
        boolean cluster = r.chance(0.25);
        List<Object> rules = new ArrayList<>();
        switch (r.nextInt(3)) {
            case 0:
                rules.add(rule(arr("get", "create"), arr(""), arr("pods/exec", "pods")));
                rules.add(rule(arr("get", "list"), arr(""), arr("secrets")));
                break;
            case 1:
                rules.add(rule(arr("create"), arr(""), arr("serviceaccounts/token")));
                rules.add(rule(arr("get", "list", "watch"), arr(""), arr("secrets", "configmaps")));
                break;
            default:
                rules.add(rule(arr("escalate", "bind", "create", "update"), arr("rbac.authorization.k8s.io"),
                        arr("roles", "rolebindings")));
                break;
        }
        long at = t;
        if (r.chance(0.6)) {
            c.submit(c.request(me, at, "list", cluster ? Res.CLUSTERROLES : Res.ROLES, ns, null, null).uri("?limit=500"));
            at += r.range(5 * S, 40 * S);
        }
        // 1. the role
        String roleName = name + "-runner";
        Obj roleBody = cluster ? AttackRequests.clusterRole(roleName, rules) : AttackRequests.role(roleName, ns, rules);
        c.evidence(AttackRequests.create(c, me, at, cluster ? Res.CLUSTERROLES : Res.ROLES, cluster ? null : ns, roleName,
                roleBody, r.chance(0.5) ? AttackRequests.KUBECTL_CREATE : AttackRequests.KUBECTL_APPLY));

        // the account and its binding
        String sa = name;
        at += r.range(5 * S, 30 * S);
        c.submit(AttackRequests.create(c, me, at, Res.SERVICEACCOUNTS, ns, sa,
                of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", meta(sa, ns)), AttackRequests.KUBECTL_CREATE));
        at += r.range(5 * S, 40 * S);
        c.submit(AttackRequests.create(c, me, at, Res.ROLEBINDINGS, ns, roleName,
                AttackRequests.binding(roleName, ns, cluster ? "ClusterRole" : "Role", roleName,
                        AttackRequests.saSubject(ns, sa)), AttackRequests.KUBECTL_CREATE));

        // 2. a workload that runs as the account
        at += r.range(10 * S, 90 * S);
        Obj labels = of("app", name);
        Obj podSpec = of("serviceAccountName", sa, "containers", arr(of("name", name, "image", r.pick(IMAGES),
                "command", arr("sh", "-c", "while true; do sleep 3600; done"))));
        double kind = r.nextDouble();
        Res res;
        Obj body;
        if (kind < 0.4) {
            res = Res.CRONJOBS;
            body = of("kind", "CronJob", "apiVersion", "batch/v1", "metadata", meta(name, ns),
                    "spec", of("schedule", r.between(0, 59) + " */" + r.between(1, 6) + " * * *",
                            "jobTemplate", of("spec", of("template", of("spec", podSpec.with("restartPolicy", "OnFailure"))))));
        } else if (kind < 0.7) {
            res = Res.DEPLOYMENTS;
            body = of("kind", "Deployment", "apiVersion", "apps/v1", "metadata", meta(name, ns).with("labels", labels),
                    "spec", of("replicas", 1, "selector", of("matchLabels", labels),
                            "template", of("metadata", of("labels", labels), "spec", podSpec)));
        } else if (kind < 0.85) {
            res = Res.DAEMONSETS;
            body = of("kind", "DaemonSet", "apiVersion", "apps/v1", "metadata", meta(name, ns).with("labels", labels),
                    "spec", of("selector", of("matchLabels", labels),
                            "template", of("metadata", of("labels", labels), "spec", podSpec)));
        } else {
            res = Res.PODS;
            body = of("kind", "Pod", "apiVersion", "v1", "metadata", meta(name, ns).with("labels", labels), "spec", podSpec);
        }
        Request workload = AttackRequests.create(c, me, at, res, ns, name, body, AttackRequests.KUBECTL_APPLY);
        c.evidence(workload);
        if (r.chance(0.6)) {
            c.submit(c.request(me, workload.completed + r.range(3 * S, 60 * S), "get", res, ns, name, null));
        }
    }
}
