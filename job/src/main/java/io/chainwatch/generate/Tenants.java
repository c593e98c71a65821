package io.chainwatch.generate;

import static io.chainwatch.generate.TrafficModel.S;

/**
 * A large population of low-rate principals ({@code generate --principals N}): the tenants of a big shared
 * cluster. It exists to load the detector's keyed state with many distinct keys (the state-growth benchmark),
 * not to model one team: three in four are tenant agents (service accounts with long-lived tokens reading
 * their config and listing their pods), one in four are tenant users with kubectl (get, list, logs, and now
 * and then an exec into one of their pods, which opens partial matches of the exec sequences).
 *
 * <p>One actor draws the arrivals of the whole population (Poisson, constant rate) and picks the principal
 * uniformly, so N can be large without N actors in the queue; identities are built on first use.
 * Addresses come from 198.18.0.0/15 (RFC 2544, benchmarking).
 */
final class Tenants {

    /** Tenant namespaces the principals are spread over. */
    static final int NAMESPACES = 500;

    private final int count;
    private final Identity[] identities;
    private final long seed;

    private Tenants(int count, long seed) {
        this.count = count;
        this.identities = new Identity[count];
        this.seed = seed;
    }

    static void install(ClusterSim sim, Rng rng, long start, int count, double requestsPerSecond) {
        if (count <= 0 || requestsPerSecond <= 0) {
            return;
        }
        Tenants t = new Tenants(count, rng.child("identities").nextLong());
        sim.add(Actor.poisson("tenants", rng.child("arrivals"), start, 1.0 / requestsPerSecond, null,
                (s, at, r) -> t.request(s, at, r)));
    }

    static String namespace(int i) {
        return "tenant-" + (i % NAMESPACES);
    }

    private boolean isUser(int i) {
        return i % 4 == 0;
    }

    private Identity identity(int i) {
        Identity id = identities[i];
        if (id == null) {
            String ns = namespace(i);
            String ip = "198." + (18 + (i >> 16 & 1)) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
            if (isUser(i)) {
                String login = String.format("tenant-user-%06d@tenants.example", i);
                id = Identity.user(login, null, Identity.groups(java.util.List.of("tenants")), null, new String[] {ip},
                        "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
                        ClusterProfile.rbacReason("RoleBinding", "tenant-edit/" + ns, "ClusterRole", "edit", "User", login));
            } else {
                String name = String.format("agent-%06d", i);
                Rng r = new Rng(Rng.mix(seed, name));
                id = Identity.serviceAccount(ns, name, r.uuid(), null, new String[] {ip}, "tenant-agent/1.4.2",
                        ClusterProfile.rbacReason("RoleBinding", "tenant-agents/" + ns, "ClusterRole", "view",
                                "ServiceAccount", ns + "/" + name));
            }
            identities[i] = id;
        }
        return id;
    }

    private void request(ClusterSim sim, long t, Rng rng) {
        int i = rng.nextInt(count);
        Identity who = identity(i);
        String ns = namespace(i);
        String pod = "worker-" + (i % 7) + "-" + Integer.toString(i % 46656, 36);
        double x = rng.nextDouble();
        if (!isUser(i)) {
            if (x < 0.6) {
                sim.submit(sim.request(rng, who, t, "get", Res.CONFIGMAPS, ns, "agent-config", null), rng);
            } else {
                sim.submit(sim.request(rng, who, t, "list", Res.PODS, ns, null, null).uri("?limit=500"), rng);
            }
            return;
        }
        if (x < 0.55) {
            sim.submit(sim.request(rng, who, t, "get", Res.PODS, ns, pod, null), rng);
        } else if (x < 0.80) {
            sim.submit(sim.request(rng, who, t, "list", Res.CONFIGMAPS, ns, null, null).uri("?limit=500"), rng);
        } else if (x < 0.96) {
            sim.submit(sim.request(rng, who, t, "get", Res.PODS, ns, pod, "log").uri("?tailLines=100"), rng);
        } else {
            long duration = rng.range(20 * S, 180 * S);
            Request exec = sim.streaming(rng, who, t, true, ns, pod, "exec",
                    "?command=sh&stdin=true&stdout=true&tty=true", duration);
            exec.command = "sh";
            sim.submit(exec, rng);
        }
    }
}
