package io.chainwatch.generate;

import java.util.Base64;

import static io.chainwatch.generate.AttackRequests.meta;
import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Stratus {@code k8s.credential-access.dump-secrets} followed by its purpose (S10): with a stolen admin-ish
 * credential, someone lists every secret (or kube-system's), reads one or two of them, and minutes later
 * authenticates from the same machine with a credential that was stored in a Secret: a legacy service-account
 * token secret (the API server adds the {@code authentication.k8s.io/legacy-token} annotations) or a kubeadm
 * bootstrap token, which it uses to ask for a node client certificate. Evidence: the first dump request, the
 * first request with the harvested credential. On GKE (no audit annotations) only the bootstrap-token pivot.
 */
final class SecretDumpScenario implements Scenario {
    static final String[][] LEGACY = {{"ci", "deployer"}, {"kube-system", "cluster-backup"}, {"monitoring", "grafana-sync"},
            {"default", "jenkins"}};

    @Override
    public String name() {
        return "secret-dump";
    }

    @Override
    public String patternId() {
        return "secret-dump-then-credential-pivot";
    }

    @Override
    public String description() {
        return "every secret listed, then a legacy token or bootstrap token from them used from the same address";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        Identity me = c.attacker("sre", ClusterProfile.rbacReason("ClusterRoleBinding", "sre-admins", "ClusterRole",
                "cluster-admin", "Group", c.profile.groupName("sre")));
        boolean legacy = c.profile.flavor != OutputFormat.GKE && r.chance(0.6);
        long at = t;
        if (r.chance(0.5)) {
            at = AttackRequests.discovery(c, me, at);
        }
        if (r.chance(0.5)) {
            c.submit(c.request(me, at, "list", Res.NAMESPACES, null, null, null).uri("?limit=500"));
            at += r.range(2 * S, 30 * S);
        }
        // 1. the dump
        boolean all = r.chance(0.7);
        c.evidence(c.request(me, at, "list", Res.SECRETS, all ? null : "kube-system", null, null).uri("?limit=500"));
        String[] sa = r.pick(LEGACY);
        String bootstrapId = r.suffix(6).replaceAll("[^a-z0-9]", "a");
        at += r.range(10 * S, 120 * S);
        if (legacy) {
            c.submit(c.request(me, at, "get", Res.SECRETS, sa[0], sa[1] + "-token", null));
        } else {
            c.submit(c.request(me, at, "get", Res.SECRETS, "kube-system", "bootstrap-token-" + bootstrapId, null));
        }

        // 2. the harvested credential, from the same machine
        at += r.range(60 * S, 20 * 60 * S);
        if (legacy) {
            String principal = "system:serviceaccount:" + sa[0] + ":" + sa[1];
            boolean curl = r.chance(0.4);
            Identity token = Identity.serviceAccount(sa[0], sa[1], Rng.uuidOf(c.profile.seed, "sa/" + sa[0] + "/" + sa[1]),
                    null, new String[] {c.ip}, curl ? r.pick(TokenTheftScenario.CURL) : c.kubectl,
                    ClusterProfile.rbacReason("ClusterRoleBinding", sa[1], "ClusterRole", "edit", "ServiceAccount",
                            sa[1] + "/" + sa[0]));
            String[] marks = {"authentication.k8s.io/legacy-token", principal,
                    "authentication.k8s.io/legacy-token-manual-secret", sa[1] + "-token"};
            if (!curl) {
                c.evidence(c.sim.nonResource(r, token, at, "/api?timeout=32s").annotate(marks));
                c.submit(c.sim.nonResource(r, token, at + r.range(5_000, 30_000), "/apis?timeout=32s").annotate(marks));
                at += r.range(300_000, 2 * S);
                c.submit(c.request(token, at, "list", Res.PODS, null, null, null).uri("?limit=500").annotate(marks));
            } else {
                c.evidence(c.request(token, at, "list", Res.PODS, null, null, null).uri("?limit=500").annotate(marks));
            }
            at += r.range(5 * S, 60 * S);
            c.submit(c.request(token, at, "list", Res.DEPLOYMENTS, sa[0], null, null).uri("?limit=500").annotate(marks));
        } else {
            // TLS bootstrap with the stolen token: a node client certificate for a node that does not exist
            String user = "system:bootstrap:" + bootstrapId;
            Identity boot = Identity.user(user, null, new String[] {"system:bootstrappers",
                    "system:bootstrappers:kubeadm:default-node-token", "system:authenticated"}, null, new String[] {c.ip},
                    r.chance(0.5) ? r.pick(TokenTheftScenario.CURL) : "kubelet/" + c.profile.k8sVersion + " (linux/amd64) kubernetes/"
                            + c.profile.gitCommit,
                    ClusterProfile.rbacReason("ClusterRoleBinding", "kubeadm:kubelet-bootstrap", "ClusterRole",
                            "system:node-bootstrapper", "Group", "system:bootstrappers:kubeadm:default-node-token"));
            String csr = "node-csr-" + r.suffix(11);
            String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getEncoder().encodeToString(r.hex(200).getBytes())
                    + "\n-----END CERTIFICATE REQUEST-----\n";
            Obj body = of("kind", "CertificateSigningRequest", "apiVersion", "certificates.k8s.io/v1",
                    "metadata", meta(csr, null), "spec", of("request", Base64.getEncoder().encodeToString(pem.getBytes()),
                            "signerName", "kubernetes.io/kube-apiserver-client-kubelet",
                            "usages", arr("digital signature", "client auth")), "status", of());
            Request create = AttackRequests.create(c, boot, at, Res.CERTIFICATESIGNINGREQUESTS, null, csr, body, "");
            c.evidence(create);
            c.submit(c.request(boot, create.completed + r.range(1 * S, 10 * S), "get", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null));
        }
    }
}
