package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Service-account token theft (S07): someone execs into an application pod, reads its projected token, and
 * uses it from their own machine (outside IP) with kubectl or curl: what may I do, list and read secrets. The
 * requests carry the pod's identity (user.extra pod-name, node-name, credential-id) with a hands-on client.
 * Evidence: the exec, the first request with the stolen token that the pattern accepts. Not expressible on
 * GKE (no user.extra there).
 */
final class TokenTheftScenario implements Scenario {
    static final String[] CURL = {"curl/8.5.0", "curl/7.88.1", "curl/8.9.1"};

    @Override
    public String name() {
        return "token-theft";
    }

    @Override
    public String patternId() {
        return "exec-then-pod-token-reuse";
    }

    @Override
    public String description() {
        return "exec into an app pod, then its service-account token used with kubectl/curl from an outside IP";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    /**
     * Picks the target app now and keeps background exec away from it for the whole run; another instance in
     * the same cluster gets another app while there are any (two execs into one pod would share a match).
     */
    @Override
    public void prepare(ScenarioContext c) {
        c.target = AttackRequests.reserveExecTarget(c);
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        App app = (App) c.target;
        if (app.pods.isEmpty()) {
            return;
        }
        Pod pod = r.pick(app.pods);
        String ns = app.namespace;
        Identity me = c.attacker(app.namespace + "-devs", ClusterProfile.rbacReason("RoleBinding",
                app.namespace + "-devs-edit/" + ns, "ClusterRole", "edit", "Group", c.profile.groupName(app.namespace + "-devs")));
        Request exec = AttackRequests.execShell(c, me, app, pod, t, 40, 240);
        c.evidence(exec);

        // the stolen token, from the attacker's machine
        boolean curl = r.chance(0.5);
        boolean secretsAllowed = r.chance(0.6);
        String ua = curl ? r.pick(CURL) : c.kubectl;
        Identity stolen = pod.token(c.profile).from(new String[] {c.ip}, ua);
        long at = exec.started + r.range(30 * S, 240 * S);
        if (curl) {
            c.evidence(secretsList(c, stolen, at, ns, secretsAllowed));
            at += r.range(5 * S, 40 * S);
            Request get = c.request(stolen, at, "get", Res.SECRETS, ns, app.secret, null);
            c.submit(secretsAllowed ? get : get.forbidden());
            if (r.chance(0.5)) {
                at += r.range(5 * S, 60 * S);
                c.submit(AttackRequests.rulesReview(c, stolen, at, ns));
            }
        } else {
            c.submit(c.sim.nonResource(r, stolen, at, "/api?timeout=32s"));
            c.submit(c.sim.nonResource(r, stolen, at + r.range(5_000, 30_000), "/apis?timeout=32s"));
            at += r.range(200_000, 2 * S);
            c.evidence(AttackRequests.rulesReview(c, stolen, at, ns));
            at += r.range(5 * S, 60 * S);
            c.submit(secretsList(c, stolen, at, ns, secretsAllowed));
            if (r.chance(0.5)) {
                at += r.range(5 * S, 60 * S);
                c.submit(c.request(stolen, at, "list", Res.SECRETS, null, null, null).uri("?limit=500").forbidden());
            }
        }
    }

    private static Request secretsList(ScenarioContext c, Identity stolen, long at, String ns, boolean allowed) {
        Request r = c.request(stolen, at, "list", Res.SECRETS, ns, null, null).uri("?limit=500");
        return allowed ? r : r.forbidden();
    }
}
