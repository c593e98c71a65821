package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who sends requests, and from where: the audit {@code user} block plus the actor's source IPs, user agent and
 * the authorizer's reason. Fixed per actor, so that an actor's IP and user agent stay consistent.
 *
 * <p>A pod-bound service-account token carries {@code authentication.kubernetes.io/credential-id: JTI=...};
 * the kubelet refreshes projected tokens at 80% of their one-hour lifetime, so the JTI changes every 48
 * minutes (per pod, with its own phase). {@link #credentialAt} computes it from the time, without state that
 * would depend on the order of calls.
 */
final class Identity {
    static final long TOKEN_REFRESH = 48 * Times.MINUTE;
    static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";
    static final String POD_NAME = "authentication.kubernetes.io/pod-name";

    final String username;
    final String uid;
    final String[] groups;
    /** Sorted (the API server writes Go maps with sorted keys). */
    final String[] extraKeys;
    final String[][] extraValues;
    final int credentialIndex;
    final long tokenSeed;
    final long tokenPhase;
    final String[] sourceIPs;
    final String userAgent;
    final String reason;

    /** Pre-serialized JSON of what every request of this identity repeats (the bulk of an event's bytes). */
    final SerializableString userAgentJson;
    final SerializableString sourceIPsJson;
    /** {@code {"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":...}}. */
    final SerializableString allowAnnotationsJson;
    private SerializableString userJson;

    private long cachedPeriod = Long.MIN_VALUE;
    private String cachedCredential;

    private Identity(String username, String uid, String[] groups, Map<String, String[]> extra, boolean rotatingToken,
                     long tokenSeed, String[] sourceIPs, String userAgent, String reason) {
        this.username = username;
        this.uid = uid;
        this.groups = groups;
        TreeMap<String, String[]> sorted = new TreeMap<>(extra == null ? Map.of() : extra);
        if (rotatingToken) {
            sorted.put(CREDENTIAL_ID, new String[] {null});
        }
        this.extraKeys = sorted.keySet().toArray(new String[0]);
        this.extraValues = sorted.values().toArray(new String[0][]);
        this.credentialIndex = rotatingToken ? Arrays.asList(extraKeys).indexOf(CREDENTIAL_ID) : -1;
        this.tokenSeed = tokenSeed;
        this.tokenPhase = Math.floorMod(Rng.mix64(tokenSeed), TOKEN_REFRESH);
        this.sourceIPs = sourceIPs;
        this.userAgent = userAgent;
        this.reason = reason;
        this.userAgentJson = userAgent == null ? null : new SerializedString(userAgent);
        this.sourceIPsJson = new SerializedString(json(g -> {
            g.writeStartArray();
            for (String ip : sourceIPs) {
                g.writeString(ip);
            }
            g.writeEndArray();
        }));
        this.allowAnnotationsJson = new SerializedString(json(g -> {
            g.writeStartObject();
            g.writeStringField("authorization.k8s.io/decision", "allow");
            g.writeStringField("authorization.k8s.io/reason", reason == null ? "" : reason);
            g.writeEndObject();
        }));
    }

    /** The {@code user} object at {@code micros} (the credential id of a bound token changes every 48 minutes). */
    SerializableString userJson(long micros) {
        if (credentialIndex >= 0) {
            long period = Math.floorDiv(micros + tokenPhase, TOKEN_REFRESH);
            if (period != cachedPeriod || userJson == null) {
                String credential = credentialAt(micros);
                userJson = new SerializedString(json(g -> AuditEventWriter.writeUser(g, this, credential)));
            }
        } else if (userJson == null) {
            userJson = new SerializedString(json(g -> AuditEventWriter.writeUser(g, this, null)));
        }
        return userJson;
    }

    static String json(Body body) {
        try {
            StringWriter w = new StringWriter(256);
            try (JsonGenerator g = FormatWriter.JSON.createGenerator(w)) {
                body.write(g);
            }
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Identity user(String username, String uid, String[] groups, Map<String, String[]> extra,
                         String[] ips, String userAgent, String reason) {
        return new Identity(username, uid, groups, extra, false, 0, ips, userAgent, reason);
    }

    /** A service account using a legacy or long-lived token (no pod binding). */
    static Identity serviceAccount(String ns, String name, String saUid, Map<String, String[]> extra,
                                   String[] ips, String userAgent, String reason) {
        return new Identity("system:serviceaccount:" + ns + ":" + name, saUid, saGroups(ns), extra, false, 0, ips,
                userAgent, reason);
    }

    /** A service account using its pod's projected token: pod and node in user.extra, a rotating JTI. */
    static Identity boundToken(String ns, String name, String saUid, String pod, String podUid, String node,
                               String nodeUid, long tokenSeed, String[] ips, String userAgent, String reason) {
        Map<String, String[]> extra = new TreeMap<>();
        extra.put("authentication.kubernetes.io/node-name", new String[] {node});
        extra.put("authentication.kubernetes.io/node-uid", new String[] {nodeUid});
        extra.put(POD_NAME, new String[] {pod});
        extra.put("authentication.kubernetes.io/pod-uid", new String[] {podUid});
        return new Identity("system:serviceaccount:" + ns + ":" + name, saUid, saGroups(ns), extra, true, tokenSeed,
                ips, userAgent, reason);
    }

    /** The same principal and token, used from elsewhere with another client (a stolen token). */
    Identity from(String[] ips, String userAgent) {
        Map<String, String[]> extra = new TreeMap<>();
        for (int i = 0; i < extraKeys.length; i++) {
            if (i != credentialIndex) {
                extra.put(extraKeys[i], extraValues[i]);
            }
        }
        return new Identity(username, uid, groups, extra, credentialIndex >= 0, tokenSeed, ips, userAgent, reason);
    }

    static String[] saGroups(String ns) {
        return new String[] {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"};
    }

    /** The credential id of the token in use at {@code micros}. */
    String credentialAt(long micros) {
        long period = Math.floorDiv(micros + tokenPhase, TOKEN_REFRESH);
        if (period != cachedPeriod) {
            long h = Rng.mix64(tokenSeed ^ Rng.mix64(period));
            cachedCredential = "JTI=" + Rng.uuid(h, Rng.mix64(h + 0x9E3779B97F4A7C15L));
            cachedPeriod = period;
        }
        return cachedCredential;
    }

    String extra(String key) {
        int i = Arrays.asList(extraKeys).indexOf(key);
        return i < 0 ? null : extraValues[i][0];
    }

    static String[] groups(List<String> names) {
        List<String> out = new ArrayList<>(names);
        if (!out.contains("system:authenticated")) {
            out.add("system:authenticated");
        }
        return out.toArray(new String[0]);
    }
}
