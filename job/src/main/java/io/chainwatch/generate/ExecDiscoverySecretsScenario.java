package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Exec, in-cluster discovery, secret retrieval (S08; MITRE DET0198 / DET0490, the Kinsing and SCARLETEEL
 * in-cluster phase, Peirates-style tooling): someone opens a shell in an application pod and, from inside it,
 * uses the pod's own service-account token with a tool they brought (a downloaded kubectl, curl, the Python
 * client, a Go binary) to map what it may do: permission self-reviews and reads of pods, namespaces, nodes,
 * service accounts and RBAC objects, most of them denied; then it reads the namespace's secrets, which the
 * app's role allows. The requests come from the pod's IP with the pod's user.extra. Evidence: the exec, every
 * enumeration request the pattern counts (3 to 6), the first allowed secret read. Not expressible on GKE (no
 * user.extra there).
 */
final class ExecDiscoverySecretsScenario implements Scenario {
    /** In-pod tools and the user agent they send. */
    static final String[] TOOLS = {"kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46", "curl/8.5.0",
            "OpenAPI-Generator/31.0.0/python", "Go-http-client/2.0", "curl/7.88.1"};

    @Override
    public String name() {
        return "exec-discovery-secrets";
    }

    @Override
    public String patternId() {
        return "exec-then-pod-discovery-then-secret-read";
    }

    @Override
    public String description() {
        return "exec into an app pod, then its token (from the pod, with a brought tool) enumerates permissions and reads secrets";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    /** Like token-theft: a target app of its own, kept free of background exec for the whole run. */
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
        Identity me = c.attacker(ns + "-devs", ClusterProfile.rbacReason("RoleBinding", ns + "-devs-edit/" + ns,
                "ClusterRole", "edit", "Group", c.profile.groupName(ns + "-devs")));
        Request exec = AttackRequests.execShell(c, me, app, pod, t, 300, 400);
        c.evidence(exec);

        // inside the pod: a tool fetched into /tmp, the token from /var/run/secrets/kubernetes.io/serviceaccount
        int tool = r.nextInt(TOOLS.length);
        boolean kubectl = tool == 0;
        Identity token = pod.token(c.profile).from(new String[] {pod.ip}, TOOLS[tool]);
        long at = exec.started + r.range(30 * S, 150 * S);
        if (kubectl) {
            c.submit(c.sim.nonResource(r, token, at, "/api?timeout=32s"));
            c.submit(c.sim.nonResource(r, token, at + r.range(3_000, 20_000), "/apis?timeout=32s"));
            at += r.range(150_000, 900_000);
        }
        List<Integer> moves = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
        int n = r.between(3, 6);
        List<Integer> chosen = new ArrayList<>();
        // the self-review usually comes first (kubectl auth can-i --list); the rest in the tool's order
        chosen.add(r.chance(0.75) ? 0 : 1);
        moves.remove(Integer.valueOf(0));
        moves.remove(Integer.valueOf(1));
        while (chosen.size() < n) {
            chosen.add(moves.remove(r.nextInt(moves.size())));
        }
        for (int move : chosen) {
            c.evidence(discovery(c, token, at, ns, app, move));
            at += r.range(800_000, 12 * S);
        }
        at += r.range(2 * S, 40 * S);
        // the secret read the app's role allows
        c.evidence(c.request(token, at, "list", Res.SECRETS, ns, null, null).uri(kubectl ? "?limit=500" : ""));
        at += r.range(3 * S, 30 * S);
        c.submit(c.request(token, at, "get", Res.SECRETS, ns, app.secret, null));
        if (r.chance(0.5)) {
            at += r.range(5 * S, 60 * S);
            c.submit(c.request(token, at, "list", Res.SECRETS, "kube-system", null, null)
                    .uri(kubectl ? "?limit=500" : "").forbidden());
        }
    }

    /** One enumeration request of the token; all but the self-reviews are denied to an app's role. */
    private static Request discovery(ScenarioContext c, Identity token, long at, String ns, App app, int move) {
        switch (move) {
            case 0:
                return AttackRequests.rulesReview(c, token, at, ns);
            case 1: {
                Obj spec = of("resourceAttributes", of("namespace", ns, "verb", "get", "resource", "secrets"));
                Obj req = of("kind", "SelfSubjectAccessReview", "apiVersion", "authorization.k8s.io/v1",
                        "metadata", of("creationTimestamp", null), "spec", spec, "status", of("allowed", false));
                Obj resp = req.with("status", of("allowed", true, "reason", ClusterProfile.rbacReason("RoleBinding",
                        app.name + "-reader/" + ns, "Role", app.name + "-reader", "ServiceAccount",
                        app.serviceAccount + "/" + ns)));
                return c.request(token, at, "create", Res.SELFSUBJECTACCESSREVIEWS, null, null, null).bodies(req, resp);
            }
            case 2:
                return c.request(token, at, "list", Res.PODS, ns, null, null).forbidden();
            case 3:
                return c.request(token, at, "list", Res.PODS, null, null, null).forbidden();
            case 4:
                return c.request(token, at, "list", Res.NAMESPACES, null, null, null).forbidden();
            case 5:
                return c.request(token, at, "list", Res.NODES, null, null, null).forbidden();
            case 6:
                return c.request(token, at, "list", Res.SERVICEACCOUNTS, ns, null, null).forbidden();
            case 7:
                return c.request(token, at, "list", Res.ROLEBINDINGS, ns, null, null).forbidden();
            default:
                return c.request(token, at, "list", Res.CLUSTERROLES, null, null, null).forbidden();
        }
    }
}
