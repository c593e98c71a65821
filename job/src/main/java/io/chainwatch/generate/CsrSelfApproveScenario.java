package io.chainwatch.generate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Client-certificate persistence by CSR self-approval (S15; Stratus {@code k8s.persistence.create-client-certificate},
 * the RBACdoors write-up, Elastic's GKE self-approval rule): a user who may create and approve
 * CertificateSigningRequests submits one for the {@code kube-apiserver-client} signer whose subject is a
 * powerful identity (CN system:kube-controller-manager, or O=system:masters), approves it with
 * {@code kubectl certificate approve} minutes later, fetches the issued certificate once the controller has
 * signed it, often deletes the CSR, and may use the certificate (credential-id X509SHA256=...) from the same
 * machine. EKS does not sign for this signer (aws/containers-roadmap#1604): there the steps appear but no
 * certificate is used. Evidence: the CSR create, the approval.
 */
final class CsrSelfApproveScenario implements Scenario {
    /** CN, O (null: none): a controller name, or a made-up admin in system:masters. */
    static final String[][] SUBJECTS = {{"system:kube-controller-manager", null}, {"cluster-admin", "system:masters"},
            {"system:ops-break-glass", "system:masters"}, {"kube-admin-backup", "system:masters"}};

    @Override
    public String name() {
        return "csr-self-approve";
    }

    @Override
    public String patternId() {
        return "csr-created-then-self-approved";
    }

    @Override
    public String description() {
        return "CSR for kube-apiserver-client with a powerful subject, approved by its own requester, certificate fetched";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "platform-bootstrap", "Group", p.groupName("platform-operators")));
        String[] subject = r.pick(SUBJECTS);
        String csr = r.pick(new String[] {c.login.replace('.', '-') + "-client", "csr-" + r.suffix(5),
                "kube-controller-manager-" + r.suffix(4), "node-csr-" + r.suffix(12)});
        c.state.claim("csr/" + csr);
        long at = t;
        if (r.chance(0.5)) {
            c.submit(c.request(me, at, "list", Res.CERTIFICATESIGNINGREQUESTS, null, null, null).uri("?limit=500"));
            at += r.range(10 * S, 120 * S);
        }
        String signer = "kubernetes.io/kube-apiserver-client";
        List<String> usages = r.chance(0.5) ? List.of("client auth") : List.of("digital signature", "key encipherment", "client auth");
        Integer expiration = r.chance(0.6) ? 31536000 : null;
        Obj spec = of("request", pemRequest(r, subject[0], subject[1]), "signerName", signer);
        if (expiration != null) {
            spec.put("expirationSeconds", expiration);
        }
        spec.put("usages", usages);
        String uid = r.uuid();
        Request create = createCsr(c, me, at, csr, uid, spec);
        c.evidence(create);

        // kubectl certificate approve: PUT .../approval with the Approved condition
        at += r.range(15 * S, 240 * S);
        c.submit(c.request(me, at, "get", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null));
        at += r.range(50_000, 400_000);
        String now = Times.rfc3339Seconds(at);
        Obj approvedStatus = of("conditions", arr(of("type", "Approved", "status", "True", "reason", "KubectlApprove",
                "message", "This CSR was approved by kubectl certificate approve.", "lastUpdateTime", now,
                "lastTransitionTime", null)));
        Obj csrMeta = of("name", csr, "uid", uid, "resourceVersion", c.state.currentResourceVersion(),
                "creationTimestamp", Times.rfc3339Seconds(create.received));
        Obj approval = of("kind", "CertificateSigningRequest", "apiVersion", "certificates.k8s.io/v1",
                "metadata", csrMeta, "spec", requested(spec, me), "status", approvedStatus);
        Request approve = c.request(me, at, "update", Res.CERTIFICATESIGNINGREQUESTS, null, csr, "approval")
                .bodies(approval, approval.with("metadata", csrMeta.with("resourceVersion", c.state.nextResourceVersion())));
        approve.level = Request.Level.REQUEST_RESPONSE;
        c.evidence(approve);

        // the signer issues the certificate (not on EKS for this signer)
        boolean signed = p.flavor != OutputFormat.EKS;
        if (signed) {
            sign(c, at + r.range(200_000, 2 * S), csr, uid, spec, approvedStatus, me);
        }
        at += r.range(2 * S, 30 * S);
        c.submit(c.request(me, at, "get", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null));
        if (r.chance(0.5)) {
            at += r.range(10 * S, 120 * S);
            c.submit(c.request(me, at, "delete", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null));
        }
        if (signed && r.chance(0.6)) {
            Map<String, String[]> extra = new TreeMap<>();
            extra.put(Identity.CREDENTIAL_ID, new String[] {"X509SHA256=" + r.hex(64)});
            List<String> groups = new ArrayList<>();
            if (subject[1] != null) {
                groups.add(subject[1]);
            }
            Identity cert = Identity.user(subject[0], null, Identity.groups(groups), extra, new String[] {c.ip}, c.kubectl,
                    subject[1] != null ? "" : ClusterProfile.rbacReason("ClusterRoleBinding", "system:kube-controller-manager",
                            "ClusterRole", "system:kube-controller-manager", "User", "system:kube-controller-manager"));
            at += r.range(60 * S, 20 * 60 * S);
            c.submit(c.sim.nonResource(r, cert, at, "/api?timeout=32s"));
            c.submit(c.sim.nonResource(r, cert, at + r.range(3_000, 20_000), "/apis?timeout=32s"));
            at += r.range(200_000, 2 * S);
            c.submit(c.request(cert, at, "list", Res.NAMESPACES, null, null, null).uri("?limit=500"));
            at += r.range(5 * S, 60 * S);
            c.submit(c.request(cert, at, "list", Res.NODES, null, null, null).uri("?limit=500"));
        }
    }

    /** create certificatesigningrequests, with the requester the API server fills into the spec. */
    static Request createCsr(ScenarioContext c, Identity who, long at, String csr, String uid, Obj spec) {
        Obj meta = of("name", csr, "creationTimestamp", null);
        Obj req = of("kind", "CertificateSigningRequest", "apiVersion", "certificates.k8s.io/v1",
                "metadata", meta, "spec", spec, "status", of());
        Obj resp = req.with("metadata", meta.with("uid", uid, "resourceVersion", c.state.nextResourceVersion(),
                "creationTimestamp", Times.rfc3339Seconds(at)), "spec", requested(spec, who));
        Request r = c.request(who, at, "create", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null)
                .uri("?fieldManager=kubectl-create&fieldValidation=Strict").bodies(req, resp);
        r.level = Request.Level.REQUEST_RESPONSE;
        return r;
    }

    /** The spec as stored: the requester's username, uid and groups added by the API server. */
    static Obj requested(Obj spec, Identity who) {
        Obj s = spec.with("username", who.username, "groups", arr((Object[]) who.groups));
        return who.uid == null ? s : s.with("uid", who.uid);
    }

    /** kube-controller-manager's signer writes the certificate into the status. */
    static void sign(ScenarioContext c, long at, String csr, String uid, Obj spec, Obj approvedStatus, Identity requester) {
        Identity signer = certificateController(c.profile);
        Obj status = approvedStatus.with("certificate", pem(c.rng, "CERTIFICATE", 640));
        Obj body = of("kind", "CertificateSigningRequest", "apiVersion", "certificates.k8s.io/v1",
                "metadata", of("name", csr, "uid", uid, "resourceVersion", c.state.currentResourceVersion()),
                "spec", requested(spec, requester), "status", status);
        Request r = c.request(signer, at, "update", Res.CERTIFICATESIGNINGREQUESTS, null, csr, "status")
                .bodies(body, body.with("metadata", ((Obj) body.get("metadata"))
                        .with("resourceVersion", c.state.nextResourceVersion())));
        c.submit(r);
    }

    /** kube-controller-manager's certificate controller (approver and signer), with its own unbound token. */
    static Identity certificateController(ClusterProfile p) {
        Map<String, String[]> extra = new TreeMap<>();
        extra.put(Identity.CREDENTIAL_ID, new String[] {"JTI=" + Rng.uuidOf(p.seed, "jti/certificate-controller")});
        String version = p.kubeletUserAgent.substring("kubelet/".length());
        return Identity.serviceAccount("kube-system", "certificate-controller", Rng.uuidOf(p.seed, "sa/certificate-controller"),
                extra, new String[] {p.controlPlaneIP},
                "kube-controller-manager/" + version + "/system:serviceaccount:kube-system:certificate-controller",
                ClusterProfile.rbacReason("ClusterRoleBinding", "system:controller:certificate-controller", "ClusterRole",
                        "system:controller:certificate-controller", "ServiceAccount", "certificate-controller/kube-system"));
    }

    /** A base64 PEM certificate request whose DER carries the subject in clear (as a real one does). */
    static String pemRequest(Rng r, String cn, String o) {
        StringBuilder subject = new StringBuilder();
        if (o != null) {
            subject.append("\u0006\u0003U\u0004\n\u000c").append((char) o.length()).append(o);
        }
        subject.append("\u0006\u0003U\u0004\u0003\u000c").append((char) cn.length()).append(cn);
        byte[] head = ("0\u0082\u0001\u00180\u0081\u00c0\u0002\u0001\u00000" + subject).getBytes(StandardCharsets.ISO_8859_1);
        byte[] der = new byte[head.length + 180];
        System.arraycopy(head, 0, der, 0, head.length);
        for (int i = head.length; i < der.length; i++) {
            der[i] = (byte) r.nextInt(256);
        }
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE REQUEST-----\n";
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** A base64 PEM block of random DER (a signed certificate, as far as the log is concerned). */
    static String pem(Rng r, String type, int bytes) {
        byte[] der = new byte[bytes];
        for (int i = 0; i < der.length; i++) {
            der[i] = (byte) r.nextInt(256);
        }
        der[0] = 0x30;
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
