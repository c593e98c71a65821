package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Node-identity theft with a TLS-bootstrap token (S16; the class of attack in Mandiant/Google's "Escalating
 * privileges in Azure Kubernetes Services", where the bootstrap token came from the node's provisioning data):
 * from their own machine, the intruder uses the bootstrap token ({@code system:bootstrap:<id>}, group
 * system:bootstrappers) to request a kubelet client certificate with the subject of an existing node
 * ({@code CN=system:node:<node>, O=system:nodes}); kube-controller-manager checks the requester with a
 * SubjectAccessReview and auto-approves, the signer issues; the intruder polls for the certificate and then
 * acts as that node from the same address with kubectl or curl: reads the node, lists its pods, reads the
 * secrets of pods on it (allowed by the Node authorizer), tries others (403). Evidence: the bootstrap CSR,
 * the first request with the node's identity. Only for self-managed (kubeadm) and AKS clusters: EKS nodes
 * join with IAM and GKE with its own bootstrap identity.
 */
final class BootstrapNodeCredScenario implements Scenario {

    @Override
    public String name() {
        return "bootstrap-node-cred";
    }

    @Override
    public String patternId() {
        return "bootstrap-csr-then-node-credential-use";
    }

    @Override
    public String description() {
        return "stolen bootstrap token requests a kubelet certificate for an existing node, then acts as that node";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format == OutputFormat.NDJSON || format == OutputFormat.AKS;
    }

    @Override
    public String unsupportedReason(OutputFormat format) {
        return format.keyword + " nodes do not join with bootstrap tokens (EKS: IAM, GKE: its own bootstrap identity)";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Node node = r.pick(p.nodes);
        boolean curl = r.chance(0.4);
        String ua = curl ? r.pick(TokenTheftScenario.CURL) : c.kubectl;
        String tokenId = r.digits(1) + r.suffix(5);
        boolean kubeadm = p.flavor != OutputFormat.AKS;
        String[] groups = kubeadm
                ? new String[] {"system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token", "system:authenticated"}
                : new String[] {"system:bootstrappers", "system:authenticated"};
        Identity bootstrap = Identity.user("system:bootstrap:" + tokenId, null, groups, null, new String[] {c.ip}, ua,
                ClusterProfile.rbacReason("ClusterRoleBinding", kubeadm ? "kubeadm:kubelet-bootstrap" : "kubelet-bootstrap",
                        "ClusterRole", "system:node-bootstrapper", "Group", groups[groups.length - 2]));
        long at = t;
        if (r.chance(0.4)) {
            c.submit(c.request(bootstrap, at, "list", Res.CERTIFICATESIGNINGREQUESTS, null, null, null)
                    .uri(curl ? "" : "?limit=500"));
            at += r.range(5 * S, 90 * S);
        }
        // the CSR, named like the kubelet names its own (or by hand)
        String csr = r.chance(0.6) ? "node-csr-" + r.suffix(43).replace('z', '-') : node.name.replace('.', '-') + "-" + r.suffix(5);
        c.state.claim("csr/" + csr);
        Obj spec = of("request", CsrSelfApproveScenario.pemRequest(r, "system:node:" + node.name, "system:nodes"),
                "signerName", "kubernetes.io/kube-apiserver-client-kubelet",
                "usages", r.chance(0.5) ? List.of("digital signature", "client auth")
                        : List.of("digital signature", "key encipherment", "client auth"));
        String uid = r.uuid();
        Request create = CsrSelfApproveScenario.createCsr(c, bootstrap, at, csr, uid, spec);
        if (curl) {
            create.requestURI = Res.CERTIFICATESIGNINGREQUESTS.path(null, null, null);
        }
        c.evidence(create);

        // kube-controller-manager: SubjectAccessReview of the requester, auto-approval, signing
        Identity kcm = CsrSelfApproveScenario.certificateController(p);
        long ctl = at + r.range(100_000, 1_500_000);
        Obj sar = of("kind", "SubjectAccessReview", "apiVersion", "authorization.k8s.io/v1",
                "spec", of("resourceAttributes", of("group", "certificates.k8s.io", "resource", "certificatesigningrequests",
                        "verb", "create", "subresource", "nodeclient"), "user", bootstrap.username,
                        "groups", arr((Object[]) bootstrap.groups)), "status", of("allowed", false));
        c.submit(c.request(kcm, ctl, "create", Res.SUBJECTACCESSREVIEWS, null, null, null).bodies(sar, null));
        ctl += r.range(5_000, 60_000);
        String now = Times.rfc3339Seconds(ctl);
        Obj approvedStatus = of("conditions", arr(of("type", "Approved", "status", "True", "reason", "AutoApproved",
                "message", "Auto approving kubelet client certificate after SubjectAccessReview.",
                "lastUpdateTime", now, "lastTransitionTime", now)));
        Obj approval = of("kind", "CertificateSigningRequest", "apiVersion", "certificates.k8s.io/v1",
                "metadata", of("name", csr, "uid", uid, "resourceVersion", c.state.currentResourceVersion()),
                "spec", CsrSelfApproveScenario.requested(spec, bootstrap), "status", approvedStatus);
        Request approve = c.request(kcm, ctl, "update", Res.CERTIFICATESIGNINGREQUESTS, null, csr, "approval")
                .bodies(approval, approval);
        approve.level = Request.Level.REQUEST_RESPONSE;
        c.submit(approve);
        CsrSelfApproveScenario.sign(c, ctl + r.range(50_000, 900_000), csr, uid, spec, approvedStatus, bootstrap);
        at = ctl + r.range(1 * S, 10 * S);
        c.submit(c.request(bootstrap, at, "get", Res.CERTIFICATESIGNINGREQUESTS, null, csr, null));

        // the node's identity, from the intruder's machine
        Map<String, String[]> extra = new TreeMap<>();
        extra.put(Identity.CREDENTIAL_ID, new String[] {"X509SHA256=" + r.hex(64)});
        Identity asNode = Identity.user("system:node:" + node.name, null, new String[] {"system:nodes", "system:authenticated"},
                extra, new String[] {c.ip}, ua, "");
        at += r.range(20 * S, 300 * S);
        if (!curl) {
            c.evidence(c.sim.nonResource(r, asNode, at, "/api?timeout=32s"));
            c.submit(c.sim.nonResource(r, asNode, at + r.range(3_000, 20_000), "/apis?timeout=32s"));
            at += r.range(200_000, 2 * S);
            c.submit(c.request(asNode, at, "get", Res.NODES, null, node.name, null));
        } else {
            c.evidence(c.request(asNode, at, "get", Res.NODES, null, node.name, null));
        }
        at += r.range(5 * S, 60 * S);
        c.submit(c.request(asNode, at, "list", Res.PODS, null, null, null)
                .uri("?fieldSelector=spec.nodeName%3D" + node.name + (curl ? "" : "&limit=500")));
        List<Pod> pods = c.state.podsOn(node);
        if (!pods.isEmpty()) {
            Pod pod = r.pick(pods);
            at += r.range(5 * S, 60 * S);
            c.submit(c.request(asNode, at, "get", Res.SECRETS, pod.app.namespace, pod.app.secret, null));
        }
        if (r.chance(0.6)) {
            at += r.range(5 * S, 60 * S);
            c.submit(c.request(asNode, at, "list", Res.SECRETS, "kube-system", null, null).forbidden());
        }
    }
}
