package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Requests several attack scenarios share: object creation with the API server's response (uid,
 * resourceVersion, creationTimestamp added), RBAC objects, TokenRequests, kubectl's discovery, a shell in an
 * application pod and what its stolen token asks first.
 */
final class AttackRequests {
    private AttackRequests() {}

    static final String RBAC = "rbac.authorization.k8s.io";
    static final String KUBECTL_CREATE = "?fieldManager=kubectl-create&fieldValidation=Strict";
    static final String KUBECTL_APPLY = "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict";

    /** A create of {@code body} (its metadata names the object); the response adds what the server sets. */
    static Request create(ScenarioContext c, Identity who, long at, Res res, String ns, String name, Obj body,
                          String query) {
        Obj meta = (Obj) body.get("metadata");
        Obj resp = body.with("metadata", meta.with("uid", c.rng.uuid(), "resourceVersion", c.state.nextResourceVersion(),
                "creationTimestamp", Times.rfc3339Seconds(at)));
        return c.request(who, at, "create", res, ns, name, null).uri(query).bodies(body, resp);
    }

    static Obj meta(String name, String ns) {
        Obj m = of("name", name);
        if (ns != null) {
            m.put("namespace", ns);
        }
        return m.put("creationTimestamp", null);
    }

    static Obj rule(List<Object> verbs, List<Object> groups, List<Object> resources) {
        return of("verbs", verbs, "apiGroups", groups, "resources", resources);
    }

    static Obj clusterRole(String name, List<Object> rules) {
        return of("kind", "ClusterRole", "apiVersion", RBAC + "/v1", "metadata", meta(name, null), "rules", rules);
    }

    static Obj role(String name, String ns, List<Object> rules) {
        return of("kind", "Role", "apiVersion", RBAC + "/v1", "metadata", meta(name, ns), "rules", rules);
    }

    /** A (Cluster)RoleBinding of a ClusterRole or Role to one subject ({@code ns} null: cluster-wide). */
    static Obj binding(String name, String ns, String roleKind, String role, Obj subject) {
        return of("kind", ns == null ? "ClusterRoleBinding" : "RoleBinding", "apiVersion", RBAC + "/v1",
                "metadata", meta(name, ns), "roleRef", of("apiGroup", RBAC, "kind", roleKind, "name", role),
                "subjects", arr(subject));
    }

    static Obj saSubject(String ns, String sa) {
        return of("kind", "ServiceAccount", "name", sa, "namespace", ns);
    }

    static Obj userSubject(String user) {
        return of("kind", "User", "apiGroup", RBAC, "name", user);
    }

    /** A minted token: the request and the credential id the API server put in its annotation. */
    static final class Minted {
        final Request request;
        final String jti;
        final long expires;

        Minted(Request request, String jti, long expires) {
            this.request = request;
            this.jti = jti;
            this.expires = expires;
        }
    }

    /** {@code kubectl create token <sa> [--duration]}: a TokenRequest, its JWT in the response, the JTI annotation. */
    static Minted tokenRequest(ScenarioContext c, Identity who, long at, String ns, String sa, String saUid, long seconds) {
        String jti = c.rng.uuid();
        long expires = at + seconds * S;
        Obj trReq = of("kind", "TokenRequest", "apiVersion", "authentication.k8s.io/v1",
                "metadata", of("creationTimestamp", null),
                "spec", of("audiences", null, "expirationSeconds", seconds, "boundObjectRef", null),
                "status", of("token", "", "expirationTimestamp", null));
        Obj trResp = of("kind", "TokenRequest", "apiVersion", "authentication.k8s.io/v1",
                "metadata", of("name", sa, "namespace", ns, "creationTimestamp", Times.rfc3339Seconds(at)),
                "spec", of("audiences", arr("https://kubernetes.default.svc.cluster.local"),
                        "expirationSeconds", seconds, "boundObjectRef", null),
                "status", of("token", c.token(ns, sa, saUid, jti, at, expires),
                        "expirationTimestamp", Times.rfc3339Seconds(expires)));
        Request r = c.request(who, at, "create", Res.SERVICEACCOUNTS, ns, sa, "token").code(201)
                .bodies(trReq, trResp)
                .annotate("authentication.kubernetes.io/issued-credential-id", "JTI=" + jti);
        return new Minted(r, jti, expires);
    }

    /** kubectl's discovery (/api, /apis) when its cache is cold; returns the time after it. */
    static long discovery(ScenarioContext c, Identity who, long at) {
        c.submit(c.sim.nonResource(c.rng, who, at, "/api?timeout=32s"));
        c.submit(c.sim.nonResource(c.rng, who, at + c.rng.range(5_000, 30_000), "/apis?timeout=32s"));
        return at + c.rng.range(200_000, 2 * S);
    }

    /**
     * For the exec scenarios: picks an app (by popularity) that no other exec instance of the cluster took, while
     * there is one, and keeps background exec away from it for the whole run (two execs into one pod would
     * share a match). At most half the apps are reserved: the scenarios that change an app's pods (webhook
     * mutation, sidecar injection) need apps that background exec may touch; past that, instances share the
     * reserved apps (at different times, so their matches stay apart).
     */
    static App reserveExecTarget(ScenarioContext c) {
        List<App> apps = new ArrayList<>(c.profile.apps);
        List<App> reserved = new ArrayList<>();
        for (App a : apps) {
            if (a.execReserved) {
                reserved.add(a);
            }
        }
        if (!reserved.isEmpty() && reserved.size() >= apps.size() / 2) {
            return reserved.get(c.rng.nextInt(reserved.size()));
        }
        App app = apps.get(c.rng.zipf(c.profile.appPopularity));
        for (int i = 0; i < apps.size() && !c.state.claim("token-theft/" + app.name); i++) {
            app = apps.get((apps.indexOf(app) + 1) % apps.size());
        }
        app.execReserved = true;
        return app;
    }

    /**
     * An app whose pods may be replaced: not one an exec instance has reserved; preferably one that no other
     * instance claimed under {@code claim} (then it is claimed), else any (null: there is none).
     */
    static App changeableApp(ScenarioContext c, String claim) {
        List<App> free = new ArrayList<>();
        List<App> unclaimed = new ArrayList<>();
        for (App a : c.profile.apps) {
            if (!a.execReserved && !a.pods.isEmpty()) {
                free.add(a);
                if (!c.state.claimed(claim + a.name)) {
                    unclaimed.add(a);
                }
            }
        }
        List<App> from = unclaimed.isEmpty() ? free : unclaimed;
        if (from.isEmpty()) {
            return null;
        }
        App app = from.get(c.rng.nextInt(from.size()));
        c.state.claim(claim + app.name);
        return app;
    }

    /**
     * {@code kubectl get pods; kubectl exec -it <pod> -- sh}: often a list first, the pod's get, then the
     * interactive exec session of {@code minSeconds} plus an exponential with {@code meanSeconds}; returns the exec for the caller's evidence.
     */
    static Request execShell(ScenarioContext c, Identity me, App app, Pod pod, long at, double minSeconds,
                             double meanSeconds) {
        Rng r = c.rng;
        String ns = app.namespace;
        if (r.chance(0.65)) {
            c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?limit=500"));
            at += r.range(4 * S, 60 * S);
        }
        c.submit(c.request(me, at, "get", Res.PODS, ns, pod.name, null));
        at += r.range(10 * S, 90 * S);
        String query = "?command=" + (r.chance(0.7) ? "sh" : "bash") + "&container=" + app.name
                + "&stdin=true&stdout=true&tty=true";
        Request exec = c.sim.streaming(r, me, at, c.websocket, ns, pod.name, "exec", query,
                (long) ((minSeconds + r.exp(meanSeconds)) * S));
        exec.command = HumanActivity.commandOf(query);
        return exec;
    }

    /** {@code kubectl auth can-i --list} with an app's token: a SelfSubjectRulesReview and what the role allows. */
    static Request rulesReview(ScenarioContext c, Identity token, long at, String ns) {
        Obj req = of("kind", "SelfSubjectRulesReview", "apiVersion", "authorization.k8s.io/v1",
                "metadata", of("creationTimestamp", null), "spec", of("namespace", ns),
                "status", of("resourceRules", null, "nonResourceRules", null, "incomplete", false));
        Obj resp = of("kind", "SelfSubjectRulesReview", "apiVersion", "authorization.k8s.io/v1",
                "metadata", of("creationTimestamp", null), "spec", of(),
                "status", of("resourceRules", arr(
                                of("verbs", arr("create"), "apiGroups", arr("authorization.k8s.io"),
                                        "resources", arr("selfsubjectaccessreviews", "selfsubjectrulesreviews")),
                                of("verbs", arr("get", "list", "watch"), "apiGroups", arr(""),
                                        "resources", arr("configmaps", "endpoints", "secrets")),
                                of("verbs", arr("get", "list", "watch"), "apiGroups", arr("discovery.k8s.io"),
                                        "resources", arr("endpointslices"))),
                        "nonResourceRules", arr(of("verbs", arr("get"), "nonResourceURLs", arr("/api", "/api/*", "/apis",
                                "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))),
                        "incomplete", false));
        return c.request(token, at, "create", Res.SELFSUBJECTRULESREVIEWS, null, null, null).bodies(req, resp);
    }
}
