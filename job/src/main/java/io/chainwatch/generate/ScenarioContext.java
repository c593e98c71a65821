package io.chainwatch.generate;

import java.util.Base64;
import java.util.Set;

/**
 * What a scenario instance works with: the cluster, its own random stream, a fresh attacker (name, IP, client),
 * and submission that attributes every request to the instance.
 */
public final class ScenarioContext {
    static final String[] FIRST = {"dana", "felix", "nora", "samir", "ines", "viktor", "maya", "jonas", "leila", "hugo",
            "rosa", "kenji", "amara", "boris", "clara", "diego", "elsa", "farid", "greta", "ivo"};
    static final String[] LAST = {"morales", "kowalski", "okafor", "lindqvist", "haddad", "novak", "ferreira", "schulz",
            "tanaka", "moreau", "brennan", "ivanova", "costa", "nakamura", "olsen", "rahman"};
    static final String[] DOMAINS = {"corp.example", "corp.example", "partner.example", "contractors.example"};

    final ClusterSim sim;
    final ClusterProfile profile;
    final ClusterState state;
    final Rng rng;
    final AttackInstance instance;
    /** The attacker's address: fresh per instance. */
    final String ip;
    /** The attacker's login (before the domain): fresh per instance. */
    final String login;
    final String domain;
    /** The attacker's kubectl. */
    final String kubectl;
    final boolean websocket;
    /** What {@link Scenario#prepare} chose, for {@link Scenario#inject}. */
    Object target;

    ScenarioContext(ClusterSim sim, Rng rng, AttackInstance instance, String ip, String login, String domain) {
        this.sim = sim;
        this.profile = sim.profile;
        this.state = sim.state;
        this.rng = rng;
        this.instance = instance;
        this.ip = ip;
        this.login = login;
        this.domain = domain;
        String[] k = ClusterProfile.KUBECTL[rng.nextInt(ClusterProfile.KUBECTL.length)];
        this.kubectl = "kubectl/" + k[0] + " (" + k[1] + ") kubernetes/" + k[2];
        this.websocket = !k[0].startsWith("v1.28") && !k[0].startsWith("v1.29");
    }

    /** A fresh login not in {@code taken} (first.last, then with a digit). */
    static String freshLogin(Rng rng, Set<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String login = FIRST[rng.nextInt(FIRST.length)] + "." + LAST[rng.nextInt(LAST.length)]
                    + (attempt < 20 ? "" : Integer.toString(attempt));
            if (taken.add(login)) {
                return login;
            }
        }
    }

    /** Attacker IPs: the documentation ranges 203.0.113.0/24 and 192.0.2.0/24, then 2001:db8::/32. */
    static String attackerIP(int index) {
        if (index < 254) {
            return "203.0.113." + (index + 1);
        }
        if (index < 508) {
            return "192.0.2." + (index - 253);
        }
        int n = index - 508;
        return "2001:db8:" + Integer.toHexString(0xa000 + (n >>> 16)) + "::" + Integer.toHexString(n & 0xffff);
    }

    String email() {
        return login + "@" + domain;
    }

    /** The attacker as a person of this cluster's cloud, from the instance's IP with its kubectl. */
    Identity attacker(String group, String reason) {
        return profile.person(email(), group, new String[] {ip}, kubectl, reason, "PowerUser", "attacker/" + login);
    }

    /** Submits a request of the instance. */
    Request submit(Request r) {
        r.attack = instance;
        sim.submit(r, rng);
        return r;
    }

    /** Submits a request the pattern must report, in step order. */
    Request evidence(Request r) {
        instance.evidence(r);
        return submit(r);
    }

    Request request(Identity who, long t, String verb, Res res, String ns, String name, String sub) {
        return sim.request(rng, who, t, verb, res, ns, name, sub);
    }

    /** A service-account token as the API server returns it (a JWT-shaped string with a made-up signature). */
    String token(String ns, String sa, String saUid, String jti, long issued, long expires) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + rng.hex(43) + "\"}";
        String payload = "{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"],\"exp\":" + expires / Times.SECOND
                + ",\"iat\":" + issued / Times.SECOND + ",\"iss\":\"https://kubernetes.default.svc.cluster.local\",\"jti\":\""
                + jti + "\",\"kubernetes.io\":{\"namespace\":\"" + ns + "\",\"serviceaccount\":{\"name\":\"" + sa
                + "\",\"uid\":\"" + saUid + "\"}},\"nbf\":" + issued / Times.SECOND + ",\"sub\":\"system:serviceaccount:"
                + ns + ":" + sa + "\"}";
        byte[] sig = new byte[256];
        for (int i = 0; i < sig.length; i++) {
            sig[i] = (byte) rng.nextInt(256);
        }
        return b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(sig);
    }
}
