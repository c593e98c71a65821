package io.chainwatch.generate;

import java.util.Map;
import java.util.TreeMap;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * RBAC backdoor (Stratus {@code create-admin-clusterrole}, RBAC Buster): one user creates a wildcard ClusterRole
 * with a system-looking name, a service account in kube-system and a ClusterRoleBinding of the role to it,
 * within a few minutes; often after listing roles, and often followed by a long-lived token for the account
 * that is then used from the same machine. Evidence: role, service account, binding.
 */
final class RbacBackdoorScenario implements Scenario {
    static final String[][] DISGUISES = {
            {"system:metrics-aggregator", "metrics-aggregator"}, {"system:node-monitor", "node-monitor"},
            {"system:kube-dns-autoscaler", "kube-dns-autoscaler"}, {"system:csi-snapshot-agent", "csi-snapshot-agent"},
            {"system:certificate-rotator", "certificate-rotator"}, {"cluster-telemetry", "telemetry-agent"},
            {"system:gatekeeper-audit", "gatekeeper-audit"}, {"system:image-gc", "image-gc-controller"}};
    static final String RBAC = "rbac.authorization.k8s.io";

    @Override
    public String name() {
        return "rbac-backdoor";
    }

    @Override
    public String patternId() {
        return "rbac-backdoor-wildcard-role";
    }

    @Override
    public String description() {
        return "wildcard ClusterRole, service account in kube-system, ClusterRoleBinding to it (same user, minutes apart)";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        // a system-looking name not used yet in this cluster (a second create would fail with 409)
        int first = r.nextInt(DISGUISES.length);
        String role = null;
        String sa = null;
        for (int i = 0; i < DISGUISES.length * 2 && role == null; i++) {
            String[] d = DISGUISES[(first + i) % DISGUISES.length];
            String suffix = i < DISGUISES.length ? "" : "-" + r.suffix(4);
            if (c.state.claim("clusterrole/" + d[0] + suffix)) {
                role = d[0] + suffix;
                sa = d[1] + suffix;
            }
        }
        if (role == null) {
            role = "system:aggregated-" + r.suffix(6);
            sa = "aggregated-" + r.suffix(6);
        }
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "platform-bootstrap", "Group", c.profile.groupName("platform-operators")));
        boolean apply = r.chance(0.4);
        String query = apply ? "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"
                : "?fieldManager=kubectl-create&fieldValidation=Strict";
        long at = t;
        if (r.chance(0.7)) {
            c.submit(c.request(me, at, "list", Res.CLUSTERROLES, null, null, null).uri("?limit=500"));
            at += r.range(3 * S, 40 * S);
            if (r.chance(0.5)) {
                c.submit(c.request(me, at, "list", Res.CLUSTERROLEBINDINGS, null, null, null).uri("?limit=500"));
                at += r.range(5 * S, 60 * S);
            }
        }
        // 1. the wildcard ClusterRole
        java.util.List<Object> rules = new java.util.ArrayList<>();
        rules.add(of("verbs", arr("*"), "apiGroups", arr("*"), "resources", arr("*")));
        if (r.chance(0.5)) {
            rules.add(of("verbs", arr("*"), "nonResourceURLs", arr("*")));
        }
        Obj roleMeta = of("name", role, "creationTimestamp", null);
        if (apply) {
            roleMeta = roleMeta.with("annotations", of("kubectl.kubernetes.io/last-applied-configuration",
                    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"annotations\":{},\"name\":\""
                            + role + "\"},\"rules\":[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}\n"));
        }
        Obj roleReq = of("kind", "ClusterRole", "apiVersion", RBAC + "/v1", "metadata", roleMeta, "rules", rules);
        Obj roleResp = roleReq.with("metadata", roleMeta.with("uid", r.uuid(),
                "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)));
        c.evidence(c.request(me, at, "create", Res.CLUSTERROLES, null, role, null).uri(query).bodies(roleReq, roleResp));

        // 2. a service account in kube-system
        at += r.range(8 * S, 90 * S);
        String saUid = r.uuid();
        Obj saMeta = of("name", sa, "namespace", "kube-system", "creationTimestamp", null);
        Obj saReq = of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", saMeta);
        Obj saResp = of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", saMeta.with("uid", saUid,
                "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)));
        c.evidence(c.request(me, at, "create", Res.SERVICEACCOUNTS, "kube-system", sa, null).uri(query)
                .bodies(saReq, saResp));

        // 3. the binding
        at += r.range(8 * S, 90 * S);
        Obj crbMeta = of("name", role, "creationTimestamp", null);
        Obj crbReq = of("kind", "ClusterRoleBinding", "apiVersion", RBAC + "/v1", "metadata", crbMeta,
                "roleRef", of("apiGroup", RBAC, "kind", "ClusterRole", "name", role),
                "subjects", arr(of("kind", "ServiceAccount", "name", sa, "namespace", "kube-system")));
        Obj crbResp = crbReq.with("metadata", crbMeta.with("uid", r.uuid(),
                "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)));
        c.evidence(c.request(me, at, "create", Res.CLUSTERROLEBINDINGS, null, role, null).uri(query)
                .bodies(crbReq, crbResp));

        // optionally: a year-long token for the account, used from the same machine
        if (r.chance(0.6)) {
            at += r.range(5 * S, 60 * S);
            AttackRequests.Minted minted = AttackRequests.tokenRequest(c, me, at, "kube-system", sa, saUid, 31536000);
            c.submit(minted.request);
            String jti = minted.jti;
            if (r.chance(0.6)) {
                Map<String, String[]> extra = new TreeMap<>();
                extra.put(Identity.CREDENTIAL_ID, new String[] {"JTI=" + jti});
                Identity backdoor = Identity.serviceAccount("kube-system", sa, saUid, extra, new String[] {c.ip}, c.kubectl,
                        ClusterProfile.rbacReason("ClusterRoleBinding", role, "ClusterRole", role, "ServiceAccount",
                                sa + "/kube-system"));
                at += r.range(30 * S, 600 * S);
                c.submit(c.request(backdoor, at, "list", Res.SECRETS, null, null, null).uri("?limit=500"));
                at += r.range(5 * S, 60 * S);
                c.submit(c.request(backdoor, at, "list", Res.NODES, null, null, null).uri("?limit=500"));
            }
        }
    }
}
