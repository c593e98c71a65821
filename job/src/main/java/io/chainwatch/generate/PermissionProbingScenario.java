package io.chainwatch.generate;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Permission enumeration with a stolen credential, then the first thing that works (S09; Elastic's "endpoint
 * permission enumeration by user and source IP", Peirates / kube-hunter style probing): from one machine, a
 * contractor's credentials are tried against what an intruder wants (cluster-wide secrets, nodes, bindings,
 * pods and tokens in kube-system) and refused again and again, with a few harmless successes between, until
 * something privileged is allowed in the one namespace the account can edit: a secret list or read, or a pod.
 * Evidence: every refusal before the success (five to eleven), the success.
 */
final class PermissionProbingScenario implements Scenario {

    @Override
    public String name() {
        return "permission-probing";
    }

    @Override
    public String patternId() {
        return "permission-probing-then-privileged-success";
    }

    @Override
    public String description() {
        return "a burst of refused requests from one user and address, then an allowed secret read or pod create";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        String ns = r.pick(c.profile.appNamespaces());
        Identity me = c.attacker("contractors", ClusterProfile.rbacReason("RoleBinding", "contractors-edit/" + ns,
                "ClusterRole", "edit", "Group", c.profile.groupName("contractors")));
        String node = r.pick(c.profile.nodes).name;
        List<String[]> probes = new ArrayList<>(List.of(
                new String[] {"list", "secrets", null, null}, new String[] {"list", "nodes", null, null},
                new String[] {"list", "clusterrolebindings", null, null}, new String[] {"list", "clusterroles", null, null},
                new String[] {"list", "secrets", "kube-system", null}, new String[] {"list", "pods", "kube-system", null},
                new String[] {"get", "secrets", "kube-system", r.chance(0.5) ? "admin-token" : "cluster-admin-token"},
                new String[] {"create", "pods", "default", null}, new String[] {"list", "namespaces", null, null},
                new String[] {"get", "nodes", null, node}, new String[] {"list", "serviceaccounts", "kube-system", null},
                new String[] {"create", "clusterrolebindings", null, null}));
        int denials = r.between(5, 11);
        long at = t;
        if (r.chance(0.5)) {
            // kubectl auth can-i --list: allowed, and not a refusal
            c.submit(c.request(me, at, "create", Res.SELFSUBJECTRULESREVIEWS, null, null, null)
                    .bodies(of("kind", "SelfSubjectRulesReview", "apiVersion", "authorization.k8s.io/v1",
                            "metadata", of("creationTimestamp", null), "spec", of("namespace", "default")), null));
            at += r.range(3 * S, 30 * S);
        }
        for (int i = 0; i < denials; i++) {
            String[] p = probes.remove(r.nextInt(probes.size()));
            Res res = res(p[1]);
            Request q = c.request(me, at, p[0], res, p[2], p[3], null);
            if (p[0].equals("list")) {
                q.uri("?limit=500");
            }
            c.evidence(q.forbidden());
            at += r.range(1 * S, 25 * S);
            if (r.chance(0.25)) {
                // something harmless that works
                c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?limit=500"));
                at += r.range(1 * S, 15 * S);
            }
        }
        // the first privileged success, in the namespace the account can edit
        at += r.range(5 * S, 120 * S);
        double roll = r.nextDouble();
        if (roll < 0.5) {
            c.evidence(c.request(me, at, "list", Res.SECRETS, ns, null, null).uri("?limit=500"));
        } else if (roll < 0.7) {
            c.evidence(c.request(me, at, "get", Res.SECRETS, ns, c.profile.apps.stream()
                    .filter(a -> a.namespace.equals(ns)).findFirst().map(a -> a.secret).orElse("default-token"), null));
        } else {
            String pod = "debug-" + r.suffix(5);
            Obj body = of("kind", "Pod", "apiVersion", "v1", "metadata", AttackRequests.meta(pod, ns),
                    "spec", of("containers", arr(of("name", "debug", "image", "docker.io/library/alpine:3.20",
                            "command", arr("sleep", "infinity"), "stdin", true, "tty", true))));
            c.evidence(AttackRequests.create(c, me, at, Res.PODS, ns, pod, body, "?fieldManager=kubectl-run&fieldValidation=Strict"));
        }
    }

    private static Res res(String resource) {
        switch (resource) {
            case "secrets": return Res.SECRETS;
            case "nodes": return Res.NODES;
            case "clusterrolebindings": return Res.CLUSTERROLEBINDINGS;
            case "clusterroles": return Res.CLUSTERROLES;
            case "pods": return Res.PODS;
            case "namespaces": return Res.NAMESPACES;
            case "serviceaccounts": return Res.SERVICEACCOUNTS;
            default: throw new IllegalArgumentException(resource);
        }
    }
}
