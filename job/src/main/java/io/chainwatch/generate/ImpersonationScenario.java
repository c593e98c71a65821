package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Pod;

import static io.chainwatch.generate.TrafficModel.S;

/**
 * Impersonation of a privileged identity (S18; Elastic's "Kubernetes API request impersonating a privileged
 * identity"): a support account with a careless {@code impersonate} grant runs kubectl with {@code --as}
 * (and {@code --as-group}) naming an admin (system:admin / system:masters, kubernetes-admin /
 * kubeadm:cluster-admins), a controller or a kube-system service account: it looks around first, then uses the
 * borrowed identity for something sensitive (reads kube-system secrets, binds itself to cluster-admin, mints a
 * token, or opens a shell in a pod). The audit log keeps the caller in {@code user} and the borrowed identity in
 * {@code impersonatedUser}. Evidence: the first impersonated request, the first sensitive one. Not on GKE
 * (its entries carry no impersonatedUser).
 */
final class ImpersonationScenario implements Scenario {
    /** Impersonated user, groups, the RBAC reason the authorizer gives (empty: system:masters bypasses RBAC). */
    static final String[][] TARGETS = {
            {"system:admin", "system:masters", ""},
            {"kubernetes-admin", "kubeadm:cluster-admins", "RBAC: allowed by ClusterRoleBinding \"kubeadm:cluster-admins\" of ClusterRole \"cluster-admin\" to Group \"kubeadm:cluster-admins\""},
            {"system:kube-controller-manager", null, "RBAC: allowed by ClusterRoleBinding \"system:kube-controller-manager\" of ClusterRole \"system:kube-controller-manager\" to User \"system:kube-controller-manager\""},
            {"system:serviceaccount:kube-system:clusterrole-aggregation-controller", null, "RBAC: allowed by ClusterRoleBinding \"system:controller:clusterrole-aggregation-controller\" of ClusterRole \"system:controller:clusterrole-aggregation-controller\" to ServiceAccount \"clusterrole-aggregation-controller/kube-system\""},
            {"system:serviceaccount:kube-system:generic-garbage-collector", null, "RBAC: allowed by ClusterRoleBinding \"system:controller:generic-garbage-collector\" of ClusterRole \"system:controller:generic-garbage-collector\" to ServiceAccount \"generic-garbage-collector/kube-system\""}};

    @Override
    public String name() {
        return "impersonation";
    }

    @Override
    public String patternId() {
        return "privileged-impersonation-then-sensitive-action";
    }

    @Override
    public String description() {
        return "kubectl --as an admin, controller or kube-system account: a look around, then secrets, RBAC, tokens or exec";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        Identity me = c.attacker("support", ClusterProfile.rbacReason("ClusterRoleBinding", "support-impersonate",
                "ClusterRole", "support-impersonator", "Group", c.profile.groupName("support")));
        String[] target = r.pick(TARGETS);
        String as = target[0];
        String[] groups = target[1] == null ? new String[0] : new String[] {target[1], "system:authenticated"};
        String reason = target[2];
        long at = t;
        // the caller's own view first (not impersonated)
        if (r.chance(0.6)) {
            c.submit(c.request(me, at, "list", Res.PODS, "default", null, null).uri("?limit=500").forbidden());
            at += r.range(5 * S, 60 * S);
        }
        // 1. a look around as the borrowed identity
        if (r.chance(0.5)) {
            c.evidence(c.sim.nonResource(r, me, at, "/api?timeout=32s").impersonate(as, groups).reason(reason));
            c.submit(c.sim.nonResource(r, me, at + r.range(5_000, 30_000), "/apis?timeout=32s").impersonate(as, groups)
                    .reason(reason));
            at += r.range(300_000, 3 * S);
            c.submit(c.request(me, at, "list", Res.PODS, "kube-system", null, null).uri("?limit=500")
                    .impersonate(as, groups).reason(reason));
        } else {
            c.evidence(c.request(me, at, "list", Res.PODS, "kube-system", null, null).uri("?limit=500")
                    .impersonate(as, groups).reason(reason));
        }
        at += r.range(5 * S, 90 * S);
        if (r.chance(0.5)) {
            c.submit(c.request(me, at, "list", Res.NAMESPACES, null, null, null).uri("?limit=500")
                    .impersonate(as, groups).reason(reason));
            at += r.range(3 * S, 40 * S);
        }
        // 2. the sensitive action
        double roll = r.nextDouble();
        if (roll < 0.35) {
            c.evidence(c.request(me, at, "list", Res.SECRETS, "kube-system", null, null).uri("?limit=500")
                    .impersonate(as, groups).reason(reason));
        } else if (roll < 0.6) {
            String name = "support-" + c.login.replace('.', '-') + "-admin";
            Obj binding = AttackRequests.binding(name, null, "ClusterRole", "cluster-admin",
                    AttackRequests.userSubject(c.email()));
            c.evidence(AttackRequests.create(c, me, at, Res.CLUSTERROLEBINDINGS, null, name, binding,
                    AttackRequests.KUBECTL_CREATE).impersonate(as, groups).reason(reason));
        } else if (roll < 0.8) {
            c.evidence(AttackRequests.tokenRequest(c, me, at, "kube-system", "default",
                    Rng.uuidOf(c.profile.seed, "sa/kube-system/default"), 3600L).request.impersonate(as, groups).reason(reason));
        } else {
            // not an app a token-theft instance owns: its first exec must be that attacker's
            App app = c.profile.apps.get(r.nextInt(c.profile.apps.size()));
            if (app.pods.isEmpty() || app.execReserved) {
                c.evidence(c.request(me, at, "get", Res.SECRETS, app.namespace, app.secret, null)
                        .impersonate(as, groups).reason(reason));
            } else {
                Pod pod = r.pick(app.pods);
                String query = "?command=sh&container=" + app.name + "&stdin=true&stdout=true&tty=true";
                Request exec = c.sim.streaming(r, me, at, c.websocket, app.namespace, pod.name, "exec", query,
                        (long) ((30 + r.exp(180)) * S));
                exec.command = HumanActivity.commandOf(query);
                c.evidence(exec.impersonate(as, groups).reason(reason));
            }
        }
        if (r.chance(0.5)) {
            at += r.range(10 * S, 120 * S);
            c.submit(c.request(me, at, "get", Res.SECRETS, "kube-system", r.chance(0.5) ? "bootstrap-token-" + r.suffix(6)
                    : "cloud-credentials", null).impersonate(as, groups).reason(reason));
        }
    }
}
