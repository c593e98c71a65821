package io.chainwatch.generate;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import static io.chainwatch.generate.AttackRequests.meta;
import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * RBACdoors' certificate persistence (S04, user form; KubeCon NA 2023 re-enactment of the RBAC Buster
 * campaign): a user with cluster-admin for the moment creates a CSR for the kube-apiserver-client signer with a
 * made-up user name as CN, approves it, fetches the certificate (and often deletes the CSR), binds that user
 * name to cluster-admin (or admin/edit cluster-wide), and then works as that user with the client certificate
 * (credential id {@code X509SHA256=...}) from their own machine. Evidence: the binding, the first allowed
 * request with the certificate. Only ndjson and aks: GKE has no user.extra (so no credential id), and EKS does
 * not sign for the kube-apiserver-client signer.
 */
final class BoundUserScenario implements Scenario {
    static final String[] USERS = {"cluster-admin", "kube-apiserver-kubelet-admin", "system-monitor", "ops-automation",
            "backup-operator"};
    static final String[] BINDINGS = {"kube-controller-admin", "system:kube-apiserver-admin", "monitoring-admin",
            "backup-operator-binding"};

    @Override
    public String name() {
        return "bound-user";
    }

    @Override
    public String patternId() {
        return "privileged-binding-then-bound-user-used";
    }

    @Override
    public String description() {
        return "client certificate issued through a self-approved CSR, its user bound to cluster-admin, then used";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format == OutputFormat.NDJSON || format == OutputFormat.AKS;
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "cluster-admin", "Group", c.profile.groupName("platform-operators")));
        String user = r.pick(USERS);
        if (!c.state.claim("user/" + user)) {
            user = user + "-" + r.suffix(4);
        }
        String csr = r.chance(0.5) ? user : "csr-" + r.suffix(5);
        String bindingName = r.pick(BINDINGS);
        if (!c.state.claim("clusterrolebinding/" + bindingName)) {
            bindingName = bindingName + "-" + r.suffix(4);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        long at = t;

        // the certificate: CSR, approval, retrieval, cleanup
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + b64.encodeToString(r.hex(300).getBytes()) + "\n-----END CERTIFICATE REQUEST-----\n";
        Obj csrBody = of("kind", "CertificateSigningRequest", "apiVersion", "certificates.k8s.io/v1",
                "metadata", meta(csr, null), "spec", of("request", b64.encodeToString(pem.getBytes()),
                        "signerName", "kubernetes.io/kube-apiserver-client", "expirationSeconds", 31_536_000,
                        "usages", arr("client auth")), "status", of());
        c.submit(AttackRequests.create(c, me, at, Res.CERTIFICATESIGNINGREQUESTS, null, csr, csrBody, AttackRequests.KUBECTL_CREATE));
        at += r.range(3 * S, 40 * S);
        Obj approval = csrBody.with("status", of("conditions", arr(of("type", "Approved", "status", "True",
                "reason", "KubectlApprove", "message", "This CSR was approved by kubectl certificate approve.",
                "lastUpdateTime", Times.rfc3339Seconds(at)))));
        Request approve = c.request(me, at, "update", Res.CERTIFICATESIGNINGREQUESTS, null, csr, "approval").bodies(approval, approval);
        approve.level = Request.Level.REQUEST_RESPONSE;
        c.submit(approve);
        at += r.range(2 * S, 20 * S);
        c.submit(c.request(me, at, "get", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null));
        if (r.chance(0.5)) {
            at += r.range(2 * S, 30 * S);
            c.submit(c.request(me, at, "delete", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null));
        }

        // 1. the grant to the certificate's user name
        at += r.range(10 * S, 120 * S);
        double roll = r.nextDouble();
        String role = roll < 0.75 ? "cluster-admin" : roll < 0.9 ? "admin" : "edit";
        c.evidence(AttackRequests.create(c, me, at, Res.CLUSTERROLEBINDINGS, null, bindingName,
                AttackRequests.binding(bindingName, null, "ClusterRole", role, AttackRequests.userSubject(user)),
                AttackRequests.KUBECTL_CREATE));

        // 2. the certificate at work, from the attacker's machine, minutes later
        Map<String, String[]> extra = new TreeMap<>();
        extra.put(Identity.CREDENTIAL_ID, new String[] {"X509SHA256=" + r.hex(64)});
        Identity cert = Identity.user(user, null, new String[] {"system:authenticated"}, extra, new String[] {c.ip},
                c.kubectl, ClusterProfile.rbacReason("ClusterRoleBinding", bindingName, "ClusterRole", role, "User", user));
        at += r.range(60 * S, 20 * 60 * S);
        c.evidence(c.sim.nonResource(r, cert, at, "/api?timeout=32s"));
        c.submit(c.sim.nonResource(r, cert, at + r.range(5_000, 30_000), "/apis?timeout=32s"));
        at += r.range(200_000, 2 * S);
        c.submit(c.request(cert, at, "list", Res.NODES, null, null, null).uri("?limit=500"));
        at += r.range(5 * S, 60 * S);
        c.submit(c.request(cert, at, "list", Res.SECRETS, null, null, null).uri("?limit=500"));
    }
}
