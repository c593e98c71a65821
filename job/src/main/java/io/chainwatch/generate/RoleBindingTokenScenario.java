package io.chainwatch.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.chainwatch.generate.AttackRequests.meta;
import static io.chainwatch.generate.AttackRequests.rule;
import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Stratus {@code k8s.persistence.create-admin-clusterrole} taken to its end (S03): a user writes a ClusterRole
 * with '*' verbs or resources (a new one with a controller-looking name, or a patch that widens an existing
 * one), binds exactly that role to a service account (a new account, or an existing one such as an app
 * namespace's {@code default}, as RBACdoors reuses kube-system's) with a ClusterRoleBinding or a RoleBinding, looks the account
 * up, and mints a token for it with {@code kubectl create token} (one hour or a year); the token is often
 * tried at once from the same machine. Evidence: the role write, the binding, the TokenRequest.
 */
final class RoleBindingTokenScenario implements Scenario {
    static final String[] ROLES = {"system:controller:pvc-resizer", "system:volume-snapshotter", "node-problem-reporter",
            "system:aggregate-to-monitoring", "cluster-autoscaler-ext", "system:kube-state-exporter"};
    static final String[] ACCOUNTS = {"pvc-resizer", "volume-snapshotter", "node-problem-reporter", "monitoring-agent",
            "autoscaler", "state-exporter"};
    static final String[] WIDENED = {"ops-readonly", "support-viewer", "ci-deployer"};

    @Override
    public String name() {
        return "role-binding-token";
    }

    @Override
    public String patternId() {
        return "wildcard-role-bound-then-sa-token-minted";
    }

    @Override
    public String description() {
        return "wildcard ClusterRole written, bound to a service account, then a token minted for exactly that account";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "platform-bootstrap", "Group", c.profile.groupName("platform-operators")));
        int pick = r.nextInt(ROLES.length);
        String role = ROLES[pick];
        String sa = ACCOUNTS[pick];
        if (!c.state.claim("clusterrole/" + role)) {
            role = role + "-" + r.suffix(4);
            sa = sa + "-" + r.suffix(4);
        }
        boolean widen = r.chance(0.3);
        boolean existingDefault = r.chance(0.35);
        // kube-system:default is left to bound-sa (the pattern of S04 keys on the account)
        String ns = existingDefault || r.chance(0.3) ? r.pick(c.profile.appNamespaces()) : "kube-system";
        if (existingDefault) {
            sa = "default";
        }
        String saUid = existingDefault ? Rng.uuidOf(c.profile.seed, "sa/" + ns + "/default") : r.uuid();
        long at = t;
        if (r.chance(0.7)) {
            c.submit(c.request(me, at, "list", Res.CLUSTERROLES, null, null, null).uri("?limit=500"));
            at += r.range(4 * S, 45 * S);
        }

        // 1. the wildcard role: a new one, or an existing custom role widened with a patch
        List<Object> rules = new ArrayList<>();
        rules.add(rule(arr("*"), arr("*"), arr("*")));
        if (r.chance(0.4)) {
            rules.add(of("verbs", arr("*"), "nonResourceURLs", arr("*")));
        }
        Request roleWrite;
        if (widen) {
            role = r.pick(WIDENED);
            if (!c.state.claim("clusterrole/" + role)) {
                role = role + "-" + r.suffix(4);
            }
            c.submit(c.request(me, at, "get", Res.CLUSTERROLES, null, role, null));
            at += r.range(10 * S, 60 * S);
            Obj patch = of("rules", rules);
            Obj resp = AttackRequests.clusterRole(role, rules).with("metadata", of("name", role, "uid", r.uuid(),
                    "resourceVersion", c.state.nextResourceVersion(),
                    "creationTimestamp", Times.rfc3339Seconds(at - r.range(30 * Times.DAY, 400 * Times.DAY))));
            roleWrite = c.request(me, at, "patch", Res.CLUSTERROLES, null, role, null)
                    .uri("?fieldManager=kubectl-patch").bodies(patch, resp);
        } else {
            roleWrite = AttackRequests.create(c, me, at, Res.CLUSTERROLES, null, role,
                    AttackRequests.clusterRole(role, rules), r.chance(0.5) ? AttackRequests.KUBECTL_CREATE
                            : AttackRequests.KUBECTL_APPLY);
        }
        c.evidence(roleWrite);

        // a new account, unless an existing one is reused
        if (!existingDefault) {
            at += r.range(8 * S, 60 * S);
            Obj body = of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", meta(sa, ns));
            Request create = AttackRequests.create(c, me, at, Res.SERVICEACCOUNTS, ns, sa, body, AttackRequests.KUBECTL_CREATE);
            c.submit(create);
        }

        // 2. the binding of exactly that role
        at += r.range(8 * S, 90 * S);
        boolean clusterWide = r.chance(0.7);
        String bindingName = clusterWide ? role : role.replace(':', '-') + "-binding";
        Obj binding = AttackRequests.binding(bindingName, clusterWide ? null : ns, "ClusterRole", role,
                AttackRequests.saSubject(ns, sa));
        c.evidence(AttackRequests.create(c, me, at, clusterWide ? Res.CLUSTERROLEBINDINGS : Res.ROLEBINDINGS,
                clusterWide ? null : ns, bindingName, binding, AttackRequests.KUBECTL_CREATE));

        // Stratus polls the account before it takes the credential
        at += r.range(3 * S, 30 * S);
        c.submit(c.request(me, at, "get", Res.SERVICEACCOUNTS, ns, sa, null));

        // 3. the token
        at += r.range(2 * S, 60 * S);
        long seconds = r.chance(0.5) ? 31_536_000L : r.chance(0.5) ? 3600L : 86_400L;
        AttackRequests.Minted minted = AttackRequests.tokenRequest(c, me, at, ns, sa, saUid, seconds);
        c.evidence(minted.request);

        // tried at once from the same machine
        if (r.chance(0.6)) {
            Map<String, String[]> extra = new TreeMap<>();
            extra.put(Identity.CREDENTIAL_ID, new String[] {"JTI=" + minted.jti});
            Identity backdoor = Identity.serviceAccount(ns, sa, saUid, extra, new String[] {c.ip}, c.kubectl,
                    ClusterProfile.rbacReason(clusterWide ? "ClusterRoleBinding" : "RoleBinding",
                            clusterWide ? bindingName : bindingName + "/" + ns, "ClusterRole", role, "ServiceAccount",
                            sa + "/" + ns));
            at = minted.request.completed + r.range(20 * S, 300 * S);
            c.submit(c.request(backdoor, at, "list", clusterWide ? Res.SECRETS : Res.PODS, clusterWide ? null : ns, null, null)
                    .uri("?limit=500"));
        }
    }
}
