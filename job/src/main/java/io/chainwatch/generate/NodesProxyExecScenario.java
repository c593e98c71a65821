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
 * Command execution through the API server's node proxy (S17; Stratus {@code k8s.privilege-escalation.nodes-proxy},
 * Horizon3.ai "nodes/proxy GET to RCE", kubeletctl/Peirates): a user grants a service account
 * {@code nodes/proxy} (ClusterRole, the account, a ClusterRoleBinding; a "metrics" look-alike), mints a token
 * for it ({@code kubectl create token}, annotation issued-credential-id), and with that token from their
 * machine lists the nodes, asks one kubelet for its running pods through {@code /api/v1/nodes/<n>/proxy/pods},
 * and runs a command in a pod on that node through the kubelet's {@code /run/} (POST) or {@code /exec/}
 * (WebSocket GET) endpoint: an exec that never appears as pods/exec and skips admission. Evidence: the token
 * request, the nodes list, the kubelet exec. Not expressible on GKE (no annotations or user.extra there).
 */
final class NodesProxyExecScenario implements Scenario {
    static final String[][] DISGUISES = {{"kubelet-metrics-reader", "kubelet-metrics", "monitoring"},
            {"system:node-stats-reader", "node-stats-exporter", "kube-system"},
            {"node-problem-reporter", "node-problem-reporter", "default"},
            {"cadvisor-scraper", "cadvisor-scraper", "kube-system"}};

    @Override
    public String name() {
        return "nodes-proxy-exec";
    }

    @Override
    public String patternId() {
        return "token-minted-then-kubelet-exec-via-proxy";
    }

    @Override
    public String description() {
        return "nodes/proxy granted to a service account, token minted, then kubelet /run or /exec through the API server proxy";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "platform-bootstrap", "Group", p.groupName("platform-operators")));
        String[] d = r.pick(DISGUISES);
        String role = d[0];
        String sa = d[1];
        String ns = d[2].equals("monitoring") ? r.pick(p.appNamespaces()) : d[2];
        if (!c.state.claim("clusterrole/" + role)) {
            role = role + "-" + r.suffix(4);
            sa = sa + "-" + r.suffix(4);
            c.state.claim("clusterrole/" + role);
        }
        String query = "?fieldManager=kubectl-create&fieldValidation=Strict";
        long at = t;
        String rbac = RbacBackdoorScenario.RBAC;
        // the grant
        Obj roleMeta = of("name", role, "creationTimestamp", null);
        Obj roleReq = of("kind", "ClusterRole", "apiVersion", rbac + "/v1", "metadata", roleMeta,
                "rules", arr(of("verbs", arr("get", "create"), "apiGroups", arr(""), "resources", arr("nodes/proxy")),
                        of("verbs", arr("get", "list"), "apiGroups", arr(""), "resources", arr("nodes"))));
        c.submit(c.request(me, at, "create", Res.CLUSTERROLES, null, role, null).uri(query)
                .bodies(roleReq, roleReq.with("metadata", roleMeta.with("uid", r.uuid(),
                        "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)))));
        at += r.range(5 * S, 60 * S);
        String saUid = r.uuid();
        Obj saMeta = of("name", sa, "namespace", ns, "creationTimestamp", null);
        c.submit(c.request(me, at, "create", Res.SERVICEACCOUNTS, ns, sa, null).uri(query)
                .bodies(of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", saMeta),
                        of("kind", "ServiceAccount", "apiVersion", "v1", "metadata", saMeta.with("uid", saUid,
                                "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)))));
        at += r.range(5 * S, 60 * S);
        Obj crbMeta = of("name", role, "creationTimestamp", null);
        Obj crb = of("kind", "ClusterRoleBinding", "apiVersion", rbac + "/v1", "metadata", crbMeta,
                "roleRef", of("apiGroup", rbac, "kind", "ClusterRole", "name", role),
                "subjects", arr(of("kind", "ServiceAccount", "name", sa, "namespace", ns)));
        c.submit(c.request(me, at, "create", Res.CLUSTERROLEBINDINGS, null, role, null).uri(query)
                .bodies(crb, crb.with("metadata", crbMeta.with("uid", r.uuid(),
                        "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)))));

        // kubectl create token <sa> [--duration]
        at += r.range(10 * S, 180 * S);
        int seconds = r.chance(0.5) ? 3600 : r.chance(0.5) ? 86400 : 31536000;
        AttackRequests.Minted minted = AttackRequests.tokenRequest(c, me, at, ns, sa, saUid, seconds);
        c.evidence(minted.request);
        String jti = minted.jti;

        // the token, from the attacker's machine: kubectl for the nodes, curl for the kubelet
        Map<String, String[]> extra = new TreeMap<>();
        extra.put(Identity.CREDENTIAL_ID, new String[] {"JTI=" + jti});
        String reason = ClusterProfile.rbacReason("ClusterRoleBinding", role, "ClusterRole", role, "ServiceAccount",
                sa + "/" + ns);
        Identity viaKubectl = Identity.serviceAccount(ns, sa, saUid, extra, new String[] {c.ip}, c.kubectl, reason);
        Identity viaCurl = Identity.serviceAccount(ns, sa, saUid, extra, new String[] {c.ip},
                r.pick(TokenTheftScenario.CURL), reason);
        at += r.range(20 * S, 300 * S);
        c.submit(c.sim.nonResource(r, viaKubectl, at, "/api?timeout=32s"));
        c.submit(c.sim.nonResource(r, viaKubectl, at + r.range(3_000, 20_000), "/apis?timeout=32s"));
        at += r.range(200_000, 2 * S);
        c.evidence(c.request(viaKubectl, at, "list", Res.NODES, null, null, null).uri("?limit=500"));
        Node node = r.pick(p.nodes);
        at += r.range(10 * S, 120 * S);
        c.submit(c.request(viaCurl, at, "get", Res.NODES, null, node.name, "proxy").uri("/pods"));
        // a pod on that node: an app's, else the node's kube-proxy
        List<Pod> pods = c.state.podsOn(node);
        String podNs;
        String pod;
        String container;
        if (!pods.isEmpty() && r.chance(0.7)) {
            Pod target = r.pick(pods);
            podNs = target.app.namespace;
            pod = target.name;
            container = target.app.name;
        } else {
            podNs = "kube-system";
            pod = node.kubeProxy.extra(Identity.POD_NAME);
            container = "kube-proxy";
        }
        at += r.range(15 * S, 180 * S);
        String path = podNs + "/" + pod + "/" + container;
        Request exec;
        if (r.chance(0.6)) {
            // curl -X POST .../proxy/run/<ns>/<pod>/<container> -d cmd=...
            exec = c.request(viaCurl, at, "create", Res.NODES, null, node.name, "proxy").uri("/run/" + path);
            exec.code = 200;
        } else {
            // a WebSocket exec through the proxy (kubeletctl, websocat)
            exec = c.sim.streaming(r, viaCurl, at, true, null, null, "exec", null, (long) ((5 + r.exp(60)) * S));
            exec.res = Res.NODES;
            exec.namespace = null;
            exec.name = node.name;
            exec.subresource = "proxy";
            exec.requestURI = Res.NODES.path(null, node.name, "proxy") + "/exec/" + path
                    + "?command=sh&command=-c&command=id%3Bcat+%2Fvar%2Frun%2Fsecrets%2Fkubernetes.io%2Fserviceaccount%2Ftoken"
                    + "&input=1&output=1&tty=0";
        }
        c.evidence(exec);
        if (r.chance(0.5)) {
            c.submit(c.request(viaCurl, Math.max(exec.completed, exec.started) + r.range(10 * S, 120 * S), "create",
                    Res.NODES, null, node.name, "proxy").uri("/run/" + path));
        }
    }
}
