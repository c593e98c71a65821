package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;

import java.util.Map;
import java.util.TreeMap;

import static io.chainwatch.generate.TrafficModel.S;

/**
 * Stratus {@code k8s.persistence.create-token} and its purpose (S06): a user mints a long-lived token
 * ({@code kubectl create token --duration}) for a powerful existing service account (kube-system's
 * clusterrole-aggregation-controller, which may escalate, the GitOps controller, or an application's account),
 * and the token is then used, without any pod binding, from another machine with kubectl or curl. Evidence: the
 * TokenRequest (its issued-credential-id annotation), the first request carrying that credential id. Not on
 * GKE (no audit annotations or user.extra there).
 */
final class TokenMintedUsedScenario implements Scenario {
    static final long[] DURATIONS = {31_536_000L, 8_640_000L, 604_800L, 86_400L, 3600L};

    @Override
    public String name() {
        return "token-minted-used";
    }

    @Override
    public String patternId() {
        return "sa-token-minted-then-used";
    }

    @Override
    public String description() {
        return "long-lived token minted for a powerful service account, then used from another machine";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "platform-bootstrap", "Group", p.groupName("platform-operators")));
        String ns;
        String sa;
        String saUid;
        String reason;
        double roll = r.nextDouble();
        if (roll < 0.5) {
            ns = "kube-system";
            sa = "clusterrole-aggregation-controller";
            saUid = Rng.uuidOf(p.seed, "sa/" + sa);
            reason = ClusterProfile.rbacReason("ClusterRoleBinding", "system:controller:" + sa, "ClusterRole",
                    "system:controller:" + sa, "ServiceAccount", sa + "/kube-system");
        } else if (roll < 0.75) {
            ns = p.gitopsKind.equals("argocd") ? "argocd" : "flux-system";
            sa = p.gitopsKind.equals("argocd") ? "argocd-application-controller" : "kustomize-controller";
            saUid = p.gitops.uid;
            reason = p.gitops.reason;
        } else {
            App app = c.state.popularApp(r);
            ns = app.namespace;
            sa = app.serviceAccount;
            saUid = app.saUid;
            reason = ClusterProfile.rbacReason("RoleBinding", app.name + "-reader/" + ns, "Role", app.name + "-reader",
                    "ServiceAccount", sa + "/" + ns);
        }
        long at = t;
        if (r.chance(0.7)) {
            c.submit(c.request(me, at, "list", Res.SERVICEACCOUNTS, ns, null, null).uri("?limit=500"));
            at += r.range(5 * S, 60 * S);
        }
        if (r.chance(0.4)) {
            c.submit(c.request(me, at, "get", Res.SERVICEACCOUNTS, ns, sa, null));
            at += r.range(3 * S, 30 * S);
        }
        // 1. the token
        AttackRequests.Minted minted = AttackRequests.tokenRequest(c, me, at, ns, sa, saUid, DURATIONS[r.nextInt(DURATIONS.length)]);
        c.evidence(minted.request);

        // 2. used from elsewhere, minutes later
        Map<String, String[]> extra = new TreeMap<>();
        extra.put(Identity.CREDENTIAL_ID, new String[] {"JTI=" + minted.jti});
        boolean curl = r.chance(0.4);
        Identity token = Identity.serviceAccount(ns, sa, saUid, extra, new String[] {c.ip},
                curl ? r.pick(TokenTheftScenario.CURL) : c.kubectl, reason);
        at = minted.request.completed + r.range(60 * S, 25 * 60 * S);
        if (curl) {
            c.evidence(c.request(token, at, "list", Res.NAMESPACES, null, null, null).uri("?limit=500"));
        } else {
            c.evidence(c.sim.nonResource(r, token, at, "/api?timeout=32s"));
            c.submit(c.sim.nonResource(r, token, at + r.range(5_000, 30_000), "/apis?timeout=32s"));
            at += r.range(200_000, 2 * S);
            c.submit(c.request(token, at, "list", Res.NAMESPACES, null, null, null).uri("?limit=500"));
        }
        at += r.range(5 * S, 90 * S);
        c.submit(c.request(token, at, "list", Res.SECRETS, ns, null, null).uri("?limit=500"));
        if (sa.equals("clusterrole-aggregation-controller") && r.chance(0.6)) {
            // the controller may escalate: it widens a role it can then bind
            at += r.range(10 * S, 120 * S);
            c.submit(c.request(token, at, "get", Res.CLUSTERROLES, null, "admin", null));
        }
    }
}
