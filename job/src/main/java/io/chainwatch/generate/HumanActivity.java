package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Human;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.ArrayList;
import java.util.List;

import static io.chainwatch.generate.TrafficModel.S;

/**
 * People with kubectl: sessions (Poisson, diurnal, Zipf activity per person) of a few to a dozen commands with
 * think times between them, mostly about the person's favourite apps. Each person keeps their IPs (office,
 * VPN, sometimes home) and their kubectl version; exec and port-forward use WebSockets (verb get) from
 * kubectl 1.30 on and SPDY (verb create) before.
 */
final class HumanActivity {
    private HumanActivity() {}

    static void install(ClusterSim sim, Rng rng, long start) {
        ClusterProfile p = sim.profile;
        double total = 0;
        for (Human h : p.humans) {
            total += h.activity;
        }
        double clusterFactor = p.name.startsWith("prod") ? 1.0 : TrafficModel.NON_PROD_HUMAN_FACTOR;
        Diurnal diurnal = Diurnal.humans(p);
        for (Human h : p.humans) {
            double perHour = TrafficModel.HUMAN_SESSIONS_PER_HOUR_PEAK * clusterFactor * h.activity / total;
            Person person = new Person(p, h);
            sim.add(Actor.poisson("human/" + h.login, rng.child(h.login), start, 3600.0 / perHour, diurnal,
                    (s, t, r) -> session(s, r, t, person)));
        }
    }

    /** One person on one cluster: identities per source IP, and favourite apps. */
    static final class Person {
        final Human human;
        final Identity[] identities;
        final double[] ipCdf;
        final List<App> favourites = new ArrayList<>();
        final double[] favouriteCdf;

        Person(ClusterProfile p, Human h) {
            this.human = h;
            identities = new Identity[h.ips.length];
            ipCdf = new double[h.ips.length];
            double sum = 0;
            for (int i = 0; i < h.ips.length; i++) {
                identities[i] = p.humanIdentity(h, new String[] {h.ips[i]});
                sum += h.ipWeights[i];
                ipCdf[i] = sum;
            }
            Rng r = new Rng(h.affinitySeed).child(p.name);
            List<App> pool = new ArrayList<>(p.apps);
            while (!pool.isEmpty()) {
                favourites.add(pool.remove(r.nextInt(Math.min(pool.size(), 3))));
            }
            favouriteCdf = Rng.zipfCdf(favourites.size(), 1.3);
        }

        Identity identity(Rng r) {
            return identities[r.zipf(ipCdf)];
        }

        App app(Rng r) {
            return favourites.get(r.zipf(favouriteCdf));
        }
    }

    static void session(ClusterSim sim, Rng rng, long t, Person person) {
        Identity me = person.identity(rng);
        Human h = person.human;
        long at = t;
        if (rng.chance(0.3)) {
            // discovery cache expired
            sim.submit(sim.nonResource(rng, me, at, "/api?timeout=32s"), rng);
            sim.submit(sim.nonResource(rng, me, at + rng.range(2_000, 20_000), "/apis?timeout=32s"), rng);
            at += rng.range(30_000, 120_000);
        }
        int commands = 1 + (int) Math.min(30, rng.exp(7));
        App app = person.app(rng);
        for (int i = 0; i < commands; i++) {
            if (rng.chance(0.15)) {
                app = person.app(rng);
            }
            at = command(sim, rng, at, person, me, app);
            at += (long) (Math.min(600, 3 + rng.exp(25)) * S);
        }
    }

    /** One kubectl command; returns when it ended. */
    static long command(ClusterSim sim, Rng rng, long t, Person person, Identity me, App app) {
        Human h = person.human;
        String ns = app.namespace;
        Pod pod = app.pods.isEmpty() ? null : rng.pick(app.pods);
        double x = rng.nextDouble();
        if (x < 0.28 || pod == null) {                                   // kubectl get pods
            sim.submit(reason(sim.request(rng, me, t, "list", Res.PODS, ns, null, null).uri("?limit=500"), h, ns), rng);
            return t + 100_000;
        } else if (x < 0.46) {                                           // kubectl logs
            sim.submit(reason(sim.request(rng, me, t, "get", Res.PODS, ns, pod.name, null), h, ns), rng);
            Request log = reason(sim.request(rng, me, t + rng.range(15_000, 60_000), "get", Res.PODS, ns, pod.name, "log"), h, ns)
                    .uri("?container=" + app.name + "&tailLines=" + (rng.chance(0.5) ? 100 : 500));
            sim.submit(log, rng);
            return log.completed;
        } else if (x < 0.58) {                                           // kubectl describe pod
            sim.submit(reason(sim.request(rng, me, t, "get", Res.PODS, ns, pod.name, null), h, ns), rng);
            sim.submit(reason(sim.request(rng, me, t + rng.range(20_000, 70_000), "list", Res.EVENTS, ns, null, null), h, ns)
                    .uri("?fieldSelector=involvedObject.name%3D" + pod.name + "%2CinvolvedObject.namespace%3D" + ns
                            + "%2CinvolvedObject.uid%3D" + pod.uid + "&limit=500"), rng);
            return t + 150_000;
        } else if (x < 0.66) {                                           // kubectl describe deployment
            sim.submit(reason(sim.request(rng, me, t, "get", Res.DEPLOYMENTS, ns, app.name, null), h, ns), rng);
            sim.submit(reason(sim.request(rng, me, t + rng.range(20_000, 50_000), "list", Res.REPLICASETS, ns, null, null), h, ns)
                    .uri("?labelSelector=app%3D" + app.name), rng);
            sim.submit(reason(sim.request(rng, me, t + rng.range(50_000, 90_000), "list", Res.EVENTS, ns, null, null), h, ns)
                    .uri("?fieldSelector=involvedObject.name%3D" + app.name + "%2CinvolvedObject.namespace%3D" + ns
                            + "%2CinvolvedObject.kind%3DDeployment%2CinvolvedObject.uid%3D" + app.deploymentUid), rng);
            return t + 200_000;
        } else if (x < 0.74) {                                           // get deploy / svc / cm
            Res res = rng.pick(new Res[] {Res.DEPLOYMENTS, Res.SERVICES, Res.CONFIGMAPS});
            sim.submit(reason(sim.request(rng, me, t, "list", res, ns, null, null), h, ns).uri("?limit=500"), rng);
            return t + 100_000;
        } else if (x < 0.79) {                                           // kubectl top pods
            sim.submit(reason(sim.request(rng, me, t, "list", Res.POD_METRICS, ns, null, null), h, ns), rng);
            return t + 100_000;
        } else if (x < 0.83) {                                           // kubectl get nodes / top nodes
            Res res = rng.chance(0.7) ? Res.NODES : Res.NODE_METRICS;
            Request r = sim.request(rng, me, t, "list", res, null, null, null).uri(res == Res.NODES ? "?limit=500" : null);
            sim.submit(nodeReason(r, h), rng);
            return t + 100_000;
        } else if (x < 0.87) {                                           // kubectl get pods -w
            sim.submit(reason(sim.request(rng, me, t, "list", Res.PODS, ns, null, null), h, ns).uri("?limit=500"), rng);
            sim.submit(reason(sim.request(rng, me, t + rng.range(60_000, 200_000), "watch", Res.PODS, ns, null, null), h, ns)
                    .uri("?resourceVersion=" + sim.state.currentResourceVersion() + "&watch=true"), rng);
            return t + (long) (rng.exp(120) * S);
        } else if (x < 0.905) {                                          // kubectl exec
            if (app.execReserved) {
                return t;
            }
            return exec(sim, rng, t, h, me, app, pod);
        } else if (x < 0.93) {                                           // kubectl port-forward
            sim.submit(reason(sim.request(rng, me, t, "get", Res.PODS, ns, pod.name, null), h, ns), rng);
            long duration = (long) (Math.min(3600, 20 + rng.exp(600)) * S);
            Request pf = sim.streaming(rng, me, t + rng.range(20_000, 60_000), h.websocket, ns, pod.name, "portforward",
                    null, duration);
            sim.submit(reason(pf, h, ns), rng);
            return pf.started + rng.range(5 * S, 60 * S);
        } else if (x < 0.945 && (h.admin || rng.chance(0.3))) {          // kubectl rollout restart
            app.revision++;
            Obj patch = Obj.of("spec", Obj.of("template", Obj.of("metadata", Obj.of("annotations",
                    Obj.of("kubectl.kubernetes.io/restartedAt", Times.rfc3339Seconds(t).replace("Z", "+00:00"))))));
            sim.submit(reason(sim.request(rng, me, t, "patch", Res.DEPLOYMENTS, ns, app.name, null), h, ns)
                    .uri("?fieldManager=kubectl-rollout").bodies(patch, Workloads.deployment(sim, app, "Helm")), rng);
            Workloads.rollout(sim, rng, t + rng.range(20_000, 200_000), app);
            return t + 60 * S;
        } else if (x < 0.955 && h.curious) {                             // tries secrets in kube-system: 403
            boolean list = rng.chance(0.6);
            Request r = sim.request(rng, me, t, list ? "list" : "get", Res.SECRETS, "kube-system",
                    list ? null : rng.pick(new String[] {"bootstrap-token-" + rng.suffix(6), "cloud-provider-config",
                            "kubeadm-certs", "etcd-backup-creds"}), null).uri(list ? "?limit=500" : null);
            sim.submit(r.forbidden(), rng);
            return t + 100_000;
        } else {                                                          // kubectl version
            sim.submit(sim.nonResource(rng, me, t, "/version?timeout=32s").reason(ClusterProfile.rbacReason(
                    "ClusterRoleBinding", "system:public-info-viewer", "ClusterRole", "system:public-info-viewer",
                    "Group", "system:authenticated")), rng);
            return t + 50_000;
        }
    }

    /** Interactive (a shell for minutes) or one-off (env, cat) exec into an app pod. */
    static long exec(ClusterSim sim, Rng rng, long t, Human h, Identity me, App app, Pod pod) {
        String ns = app.namespace;
        boolean shell = rng.chance(0.6);
        String query;
        long duration;
        if (shell) {
            query = "?command=" + (rng.chance(0.5) ? "sh" : "bash") + "&container=" + app.name
                    + "&stdin=true&stdout=true&tty=true";
            duration = (long) (Math.min(1800, 20 + rng.exp(240)) * S);
        } else {
            String[] cmds = {"command=env", "command=cat&command=%2Fetc%2F" + app.name + "%2Fconfig.yaml",
                    "command=ls&command=-la&command=%2Ftmp", "command=wget&command=-qO-&command=localhost%3A8080%2Fready"};
            query = "?" + rng.pick(cmds) + "&container=" + app.name + "&stderr=true&stdout=true";
            duration = rng.range(300_000, 3 * S);
        }
        sim.submit(reason(sim.request(rng, me, t, "get", Res.PODS, ns, pod.name, null), h, ns), rng);
        Request r = sim.streaming(rng, me, t + rng.range(20_000, 80_000), h.websocket, ns, pod.name, "exec", query, duration);
        r.command = commandOf(query);
        sim.submit(reason(r, h, ns), rng);
        return r.completed;
    }

    /** The command of an exec query ({@code command=sh&command=-c...}), decoded, for GKE's label. */
    static String commandOf(String query) {
        StringBuilder sb = new StringBuilder();
        for (String part : query.substring(query.indexOf('?') + 1).split("&")) {
            if (part.startsWith("command=")) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(java.net.URLDecoder.decode(part.substring(8), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    /** The RBAC reason for a person in a namespace: SREs via cluster-admin, developers via edit in their namespaces. */
    static Request reason(Request r, Human h, String ns) {
        if (!h.admin) {
            r.reason = ClusterProfile.rbacReason("RoleBinding", h.team + "-edit/" + ns, "ClusterRole", "edit", "Group",
                    r.user.groups[0]);
        }
        return r;
    }

    static Request nodeReason(Request r, Human h) {
        if (!h.admin) {
            r.reason = ClusterProfile.rbacReason("ClusterRoleBinding", "node-viewers", "ClusterRole", "node-viewer",
                    "Group", r.user.groups[0]);
        }
        return r;
    }
}
