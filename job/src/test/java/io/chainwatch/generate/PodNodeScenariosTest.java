package io.chainwatch.generate;

import io.chainwatch.generate.GeneratedInstances.Instance;

import io.chainwatch.ingest.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod and node scenarios (S08, S12–S17, S28), each generated alone on two clusters: labels, and the
 * structural facts of the evidence the pattern joins on. Detection itself is GeneratorDetectionIT's job.
 */
class PodNodeScenariosTest {

    @TempDir
    Path tmp;

    static List<Instance> generate(Path out, String scenario, OutputFormat format) throws IOException {
        List<Instance> instances = GeneratedInstances.generate(out, scenario, format, 30_000, 1);
        for (Instance i : instances) {
            for (int k = 1; k < i.evidence.size(); k++) {
                assertThat(i.get(k).eventTimeMicros).as(scenario + " steps strictly in time order")
                        .isGreaterThan(i.get(k - 1).eventTimeMicros);
            }
        }
        return instances;
    }

    static List<Instance> generate(Path out, String scenario) throws IOException {
        return generate(out, scenario, OutputFormat.NDJSON);
    }

    @Test
    void execDiscoverySecrets() throws IOException {
        for (Instance i : generate(tmp, "exec-discovery-secrets")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSizeBetween(5, 8);
            AuditEvent exec = ev.get(0);
            assertThat(exec.subresource).isEqualTo("exec");
            assertThat(exec.responseCode).isEqualTo(101);
            assertThat(exec.principal).doesNotStartWith("system:");
            AuditEvent read = ev.get(ev.size() - 1);
            assertThat(read.resource).isEqualTo("secrets");
            assertThat(read.verb).isIn("get", "list");
            assertThat(read.decision).isEqualTo("allow");
            for (AuditEvent e : ev.subList(1, ev.size())) {
                // the exec target's own token, from the pod's address, with a brought tool
                assertThat(e.podName).isEqualTo(exec.name);
                assertThat(e.saNamespace).isEqualTo(exec.namespace);
                assertThat(e.credentialId).startsWith("JTI=");
                assertThat(e.clientIP).startsWith("10.");
                assertThat(e.userAgent).doesNotEndWith("kubernetes/$Format");
            }
            for (AuditEvent d : ev.subList(1, ev.size() - 1)) {
                assertThat(d.resource.endsWith("reviews") || "forbid".equals(d.decision)).as(d.requestURI).isTrue();
            }
            assertThat(read.eventTimeMicros - exec.eventTimeMicros).isLessThan(10 * 60 * Times.SECOND);
        }
    }

    @Test
    void debugNodeAttach() throws IOException {
        for (Instance i : generate(tmp, "debug-node-attach")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSize(2);
            AuditEvent create = ev.get(0);
            AuditEvent shell = ev.get(1);
            assertThat(create.verb).isEqualTo("create");
            assertThat(create.resource).isEqualTo("pods");
            assertThat(create.namespace).isEqualTo("default");
            assertThat(create.objectName).startsWith("node-debugger-");
            assertThat(create.userAgent).startsWith("kubectl/");
            // the shape of kubectl debug node: pinned, host namespaces, the node's / at /host, kubectl's label
            assertThat(create.requestObject).contains("\"nodeName\":", "\"hostPID\":true", "\"path\":\"/\"",
                    "\"mountPath\":\"/host\"", "kubectl-debug");
            assertThat(create.responseObject).contains(create.objectName);
            assertThat(shell.subresource).isIn("attach", "exec");
            assertThat(shell.responseCode).isEqualTo(101);
            assertThat(shell.name).isEqualTo(create.objectName);
            assertThat(shell.principal).isEqualTo(create.principal);
            assertThat(shell.eventTimeMicros - create.eventTimeMicros).isLessThan(15 * 60 * Times.SECOND);
        }
    }

    @Test
    void ephemeralAttach() throws IOException {
        for (Instance i : generate(tmp, "ephemeral-attach")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSize(2);
            AuditEvent inject = ev.get(0);
            AuditEvent shell = ev.get(1);
            assertThat(inject.verb).isEqualTo("patch");
            assertThat(inject.subresource).isEqualTo("ephemeralcontainers");
            assertThat(inject.responseCode).isEqualTo(200);
            assertThat(inject.level).isEqualTo("RequestResponse");
            assertThat(inject.requestObject).contains("\"ephemeralContainers\"", "\"targetContainerName\"");
            String container = inject.requestObject.replaceAll(".*\"name\":\"(debugger-[a-z0-9]{5})\".*", "$1");
            assertThat(shell.subresource).isIn("attach", "exec");
            assertThat(shell.responseCode).isEqualTo(101);
            assertThat(shell.namespace).isEqualTo(inject.namespace);
            assertThat(shell.name).isEqualTo(inject.name);
            assertThat(shell.requestURI).contains("container=" + container);
            assertThat(shell.eventTimeMicros - inject.eventTimeMicros).isLessThan(10 * 60 * Times.SECOND);
            // a refused first try, when there is one, is not evidence and comes before; Pod Security refused it
            // after RBAC allowed it, so the decision is allow
            i.all.stream()
                    .filter(e -> "ephemeralcontainers".equals(e.subresource) && Integer.valueOf(403).equals(e.responseCode) && inject.name.equals(e.name))
                    .forEach(e -> {
                        assertThat(e.eventTimeMicros).isLessThan(inject.eventTimeMicros);
                        assertThat(e.decision).isEqualTo("allow");
                    });
        }
    }

    @Test
    void controllerSaPod() throws IOException {
        for (Instance i : generate(tmp, "controller-sa-pod")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSizeBetween(2, 3);
            AuditEvent create = ev.get(0);
            AuditEvent use = ev.get(ev.size() - 1);
            assertThat(create.verb).isEqualTo("create");
            assertThat(create.namespace).isEqualTo("kube-system");
            String sa = create.requestObject.replaceAll(".*\"serviceAccountName\":\"([^\"]+)\".*", "$1");
            assertThat(sa).isIn("clusterrole-aggregation-controller", "daemon-set-controller", "namespace-controller",
                    "generic-garbage-collector");
            if (ev.size() == 3) {
                assertThat(ev.get(1).subresource).isEqualTo("exec");
                assertThat(ev.get(1).name).isEqualTo(create.objectName);
            }
            assertThat(use.saNamespace).isEqualTo("kube-system");
            assertThat(use.saName).isEqualTo(sa);
            assertThat(use.podName).isEqualTo(create.objectName);
            assertThat(use.userAgent).matches("(kubectl|curl)/.*");
            assertThat(use.eventTimeMicros - create.eventTimeMicros).isLessThan(30 * 60 * Times.SECOND);
        }
    }

    @Test
    void csrSelfApprove() throws IOException {
        for (Instance i : generate(tmp, "csr-self-approve")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSize(2);
            AuditEvent create = ev.get(0);
            AuditEvent approve = ev.get(1);
            assertThat(create.resource).isEqualTo("certificatesigningrequests");
            assertThat(create.verb).isEqualTo("create");
            assertThat(create.requestObject).contains("\"signerName\":\"kubernetes.io/kube-apiserver-client\"");
            assertThat(create.responseObject).contains("\"username\":\"" + create.principal + "\"");
            assertThat(approve.verb).isEqualTo("update");
            assertThat(approve.subresource).isEqualTo("approval");
            assertThat(approve.requestObject).contains("\"type\":\"Approved\"");
            assertThat(approve.principal).isEqualTo(create.principal);
            assertThat(approve.objectName).isEqualTo(create.objectName);
            assertThat(approve.eventTimeMicros - create.eventTimeMicros).isLessThan(15 * 60 * Times.SECOND);
        }
    }

    @Test
    void bootstrapNodeCred() throws IOException {
        for (Instance i : generate(tmp, "bootstrap-node-cred")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSize(2);
            AuditEvent csr = ev.get(0);
            AuditEvent use = ev.get(1);
            assertThat(csr.principal).startsWith("system:bootstrap:");
            assertThat(csr.userGroups).contains("system:bootstrappers");
            assertThat(csr.requestObject).contains("kubernetes.io/kube-apiserver-client-kubelet");
            assertThat(use.principal).startsWith("system:node:");
            assertThat(use.userAgent).doesNotStartWith("kubelet/");
            assertThat(use.peerIP).isEqualTo(csr.peerIP).doesNotStartWith("10.");
            assertThat(use.eventTimeMicros - csr.eventTimeMicros).isLessThan(30 * 60 * Times.SECOND);
        }
    }

    @Test
    void bootstrapNodeCredOnlyWhereNodesBootstrapWithTokens() {
        Scenario s = Scenarios.select("bootstrap-node-cred").get(0);
        assertThat(s.supports(OutputFormat.NDJSON)).isTrue();
        assertThat(s.supports(OutputFormat.AKS)).isTrue();
        assertThat(s.supports(OutputFormat.EKS)).isFalse();
        assertThat(s.supports(OutputFormat.GKE)).isFalse();
    }

    @Test
    void nodesProxyExec() throws IOException {
        for (Instance i : generate(tmp, "nodes-proxy-exec")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSize(3);
            AuditEvent mint = ev.get(0);
            assertThat(mint.subresource).isEqualTo("token");
            String jti = mint.annotations.get("authentication.kubernetes.io/issued-credential-id");
            assertThat(jti).startsWith("JTI=");
            assertThat(ev.get(1).verb).isEqualTo("list");
            assertThat(ev.get(1).resource).isEqualTo("nodes");
            AuditEvent exec = ev.get(2);
            assertThat(exec.resource).isEqualTo("nodes");
            assertThat(exec.subresource).isEqualTo("proxy");
            assertThat(exec.requestURI).matches("/api/v1/nodes/[^/]+/proxy/(run|exec)/.*");
            for (AuditEvent e : ev.subList(1, 3)) {
                assertThat(e.credentialId).isEqualTo(jti);
                assertThat(e.principal).isEqualTo("system:serviceaccount:" + mint.namespace + ":" + mint.name);
                assertThat(e.clientIP).isEqualTo(mint.clientIP);
            }
        }
    }

    @Test
    void nodeTokenMisuse() throws IOException {
        for (Instance i : generate(tmp, "node-token-misuse")) {
            List<AuditEvent> ev = i.evidence;
            assertThat(ev).hasSize(2);
            AuditEvent create = ev.get(0);
            AuditEvent use = ev.get(1);
            assertThat(create.verb).isEqualTo("create");
            assertThat(create.requestObject).contains("\"nodeName\":").containsAnyOf("\"privileged\":true",
                    "\"hostPID\":true", "\"hostNetwork\":true", "\"hostPath\"");
            String node = create.requestObject.replaceAll(".*\"nodeName\":\"([^\"]+)\".*", "$1");
            assertThat(use.userExtra.get("authentication.kubernetes.io/node-name")).containsExactly(node);
            assertThat(use.podName).isNotNull().isNotEqualTo(create.objectName);
            assertThat(use.userAgent).matches("(kubectl|curl)/.*");
            assertThat(use.eventTimeMicros - create.eventTimeMicros).isLessThan(60 * 60 * Times.SECOND);
        }
    }

    @Test
    void theScenariosThatNeedUserExtraSkipGke() {
        for (String name : List.of("exec-discovery-secrets", "controller-sa-pod", "nodes-proxy-exec", "node-token-misuse")) {
            assertThat(Scenarios.select(name).get(0).supports(OutputFormat.GKE)).as(name).isFalse();
        }
        for (String name : List.of("debug-node-attach", "ephemeral-attach", "csr-self-approve")) {
            assertThat(Scenarios.select(name).get(0).supports(OutputFormat.GKE)).as(name).isTrue();
        }
    }
}
