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
 * The RBAC and identity scenarios (S01, S03–S06, S09, S10, S18), each generated alone on two clusters: both
 * instances are labelled, and their evidence has the shape the pattern joins on.
 */
class RbacIdentityScenariosTest {

    @TempDir
    Path tmp;

    List<Instance> generate(String scenario, OutputFormat format) throws IOException {
        return GeneratedInstances.generate(tmp.resolve(scenario + "-" + format), scenario, format, 24_000, 1);
    }

    List<Instance> generate(String scenario) throws IOException {
        return generate(scenario, OutputFormat.NDJSON);
    }

    @Test
    void anonymousDiscoveryProbesThenCreatesAWorkloadFromOneAddress() throws IOException {
        for (OutputFormat format : new OutputFormat[] {OutputFormat.NDJSON, OutputFormat.GKE}) {
            for (Instance i : generate("anonymous-discovery", format)) {
                List<AuditEvent> ev = i.evidence;
                assertThat(ev).hasSizeBetween(2, 3);
                assertThat(ev).allSatisfy(e -> {
                    assertThat(e.principal).isEqualTo("system:anonymous");
                    assertThat(e.peerIP).isEqualTo(ev.get(0).peerIP);
                });
                assertThat(ev.get(0).verb).isIn("get", "list");
                if (format == OutputFormat.GKE) {
                    assertThat(ev.get(0).resource).isNotNull();
                } else {
                    assertThat(ev.get(0).requestURI).isEqualTo("/version");
                }
                if (ev.size() == 3) {
                    assertThat(ev.get(1).verb).isEqualTo("delete");
                    assertThat(ev.get(1).resource).isEqualTo("daemonsets");
                }
                AuditEvent deploy = ev.get(ev.size() - 1);
                assertThat(deploy.verb).isEqualTo("create");
                assertThat(deploy.resource).isIn("daemonsets", "deployments", "pods");
                assertThat(deploy.responseClass).isEqualTo("2xx");
                assertThat(deploy.requestObject).contains("\"image\"");
            }
        }
    }

    @Test
    void roleBindingTokenLinksTheRoleTheBindingAndTheTokenOfItsSubject() throws IOException {
        for (Instance i : generate("role-binding-token")) {
            AuditEvent role = i.get(0);
            AuditEvent binding = i.get(1);
            AuditEvent token = i.get(2);
            assertThat(i.evidence).hasSize(3).extracting(e -> e.principal).containsOnly(role.principal);
            assertThat(role.resource).isEqualTo("clusterroles");
            assertThat(role.verb).isIn("create", "patch");
            assertThat(role.requestObject).contains("\"verbs\":[\"*\"]");
            assertThat(binding.resource).isIn("clusterrolebindings", "rolebindings");
            assertThat(binding.requestObject).contains("\"name\":\"" + role.objectName + "\"")
                    .contains("\"kind\":\"ServiceAccount\"");
            assertThat(token.verb).isEqualTo("create");
            assertThat(token.subresource).isEqualTo("token");
            assertThat(binding.requestObject).contains("\"name\":\"" + token.objectName + "\",\"namespace\":\""
                    + token.namespace + "\"");
            assertThat(token.annotations).containsKey("authentication.kubernetes.io/issued-credential-id");
        }
    }

    @Test
    void boundSaGrantsAPrivilegedRoleThenTheAccountActs() throws IOException {
        for (OutputFormat format : new OutputFormat[] {OutputFormat.NDJSON, OutputFormat.GKE}) {
            for (Instance i : generate("bound-sa", format)) {
                assertThat(i.evidence).hasSize(2);
                AuditEvent binding = i.get(0);
                AuditEvent use = i.get(1);
                assertThat(binding.resource).isEqualTo("clusterrolebindings");
                assertThat(binding.requestObject).containsPattern("\"roleRef\":\\{[^}]*\"name\":\"(cluster-admin|admin|edit)\"")
                        .contains("\"kind\":\"ServiceAccount\",\"name\":\"" + use.saName + "\",\"namespace\":\""
                                + use.saNamespace + "\"");
                assertThat(use.principal).isNotEqualTo(binding.principal).startsWith("system:serviceaccount:");
                assertThat(use.decision).isEqualTo("allow");
                assertThat(use.podName == null || use.userAgent.startsWith("kubectl/")).isTrue();
                // nothing of the account between the grant and its first use
                assertThat(i.all).filteredOn(e -> use.principal.equals(e.principal)
                        && e.eventTimeMicros < use.eventTimeMicros).isEmpty();
            }
        }
    }

    @Test
    void boundUserBindsACertificateUserThenTheCertificateIsUsed() throws IOException {
        for (Instance i : generate("bound-user")) {
            assertThat(i.evidence).hasSize(2);
            AuditEvent binding = i.get(0);
            AuditEvent use = i.get(1);
            assertThat(binding.resource).isEqualTo("clusterrolebindings");
            assertThat(binding.requestObject).contains("\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\""
                    + use.principal + "\"");
            assertThat(use.credentialId).startsWith("X509SHA256=");
            assertThat(use.decision).isEqualTo("allow");
            // the CSR was created and approved before the grant, by the binder
            assertThat(i.all).anySatisfy(e -> {
                assertThat(e.resource).isEqualTo("certificatesigningrequests");
                assertThat(e.subresource).isEqualTo("approval");
                assertThat(e.principal).isEqualTo(binding.principal);
                assertThat(e.eventTimeMicros).isLessThan(binding.eventTimeMicros);
            });
        }
        assertThat(Scenarios.select("bound-user").get(0).supports(OutputFormat.GKE)).isFalse();
        assertThat(Scenarios.select("bound-user").get(0).supports(OutputFormat.EKS)).isFalse();
    }

    @Test
    void rbacWorkloadWritesASensitiveRoleThenAWorkloadWithinMinutes() throws IOException {
        for (Instance i : generate("rbac-workload")) {
            assertThat(i.evidence).hasSize(2);
            AuditEvent role = i.get(0);
            AuditEvent workload = i.get(1);
            assertThat(role.resource).isIn("roles", "clusterroles");
            assertThat(role.requestObject).containsAnyOf("pods/exec", "serviceaccounts/token", "\"escalate\"");
            assertThat(workload.principal).isEqualTo(role.principal);
            assertThat(workload.verb).isEqualTo("create");
            assertThat(workload.resource).isIn("cronjobs", "deployments", "daemonsets", "pods");
            assertThat(workload.subresource).isNull();
            assertThat(workload.eventTimeMicros - role.eventTimeMicros).isLessThan(5 * 60 * 1_000_000L);
            assertThat(i.all).noneMatch(e -> "delete".equals(e.verb) && role.objectName.equals(e.objectName));
        }
    }

    @Test
    void tokenMintedUsedMintsATokenThenItsCredentialIdIsUsedWithoutAPod() throws IOException {
        for (Instance i : generate("token-minted-used")) {
            assertThat(i.evidence).hasSize(2);
            AuditEvent mint = i.get(0);
            AuditEvent use = i.get(1);
            assertThat(mint.resource).isEqualTo("serviceaccounts");
            assertThat(mint.subresource).isEqualTo("token");
            assertThat(mint.requestObject).contains("expirationSeconds");
            String jti = mint.annotations.get("authentication.kubernetes.io/issued-credential-id");
            assertThat(jti).startsWith("JTI=");
            assertThat(use.credentialId).isEqualTo(jti);
            assertThat(use.podName).isNull();
            assertThat(use.principal).isEqualTo("system:serviceaccount:" + mint.namespace + ":" + mint.objectName);
            assertThat(use.userAgent).matches("(kubectl|curl)/.*");
            assertThat(i.all).filteredOn(e -> jti.equals(e.credentialId) && e.eventTimeMicros < use.eventTimeMicros)
                    .isEmpty();
        }
        assertThat(Scenarios.select("token-minted-used").get(0).supports(OutputFormat.GKE)).isFalse();
    }

    @Test
    void permissionProbingIsRefusedRepeatedlyThenSucceedsFromTheSameAddress() throws IOException {
        for (OutputFormat format : new OutputFormat[] {OutputFormat.NDJSON, OutputFormat.GKE}) {
            for (Instance i : generate("permission-probing", format)) {
                List<AuditEvent> ev = i.evidence;
                assertThat(ev).hasSizeBetween(6, 12);
                AuditEvent success = ev.get(ev.size() - 1);
                assertThat(ev).allSatisfy(e -> {
                    assertThat(e.principal).isEqualTo(success.principal);
                    assertThat(e.clientIP).isEqualTo(success.clientIP);
                });
                assertThat(ev.subList(0, ev.size() - 1)).allSatisfy(e -> {
                    assertThat(e.decision).isEqualTo("forbid");
                    assertThat(e.responseCode).isEqualTo(403);
                });
                assertThat(success.decision).isEqualTo("allow");
                assertThat(success.resource).isIn("secrets", "pods");
                // every refusal of the principal before the success is evidence
                assertThat(i.all).filteredOn(e -> success.principal.equals(e.principal) && "forbid".equals(e.decision))
                        .hasSize(ev.size() - 1);
            }
        }
    }

    @Test
    void impersonationBorrowsAPrivilegedIdentityThenDoesSomethingSensitive() throws IOException {
        for (Instance i : generate("impersonation")) {
            assertThat(i.evidence).hasSize(2);
            AuditEvent look = i.get(0);
            AuditEvent act = i.get(1);
            assertThat(look.impersonatedUserName).isNotNull().isEqualTo(act.impersonatedUserName);
            assertThat(look.userName).isEqualTo(act.userName).isNotEqualTo(look.principal);
            assertThat(look.principal).isEqualTo(look.impersonatedUserName);
            assertThat(look.decision).isEqualTo("allow");
            assertThat(act.decision).isEqualTo("allow");
            assertThat(act.resource).isIn("secrets", "clusterrolebindings", "serviceaccounts", "pods");
            if ("pods".equals(act.resource)) {
                assertThat(act.subresource).isEqualTo("exec");
            }
        }
        assertThat(Scenarios.select("impersonation").get(0).supports(OutputFormat.GKE)).isFalse();
    }

    @Test
    void secretDumpThenACredentialFromASecretIsUsedFromTheSameAddress() throws IOException {
        for (OutputFormat format : new OutputFormat[] {OutputFormat.NDJSON, OutputFormat.GKE}) {
            for (Instance i : generate("secret-dump", format)) {
                assertThat(i.evidence).hasSize(2);
                AuditEvent dump = i.get(0);
                AuditEvent pivot = i.get(1);
                assertThat(dump.verb).isEqualTo("list");
                assertThat(dump.resource).isEqualTo("secrets");
                assertThat(dump.namespace).isIn(null, "kube-system");
                assertThat(pivot.clientIP).isEqualTo(dump.clientIP);
                assertThat(pivot.principal).isNotEqualTo(dump.principal);
                boolean legacy = pivot.annotations != null && pivot.annotations.containsKey("authentication.k8s.io/legacy-token");
                assertThat(legacy || pivot.principal.startsWith("system:bootstrap:")).isTrue();
                if (format == OutputFormat.GKE) {
                    assertThat(pivot.principal).startsWith("system:bootstrap:");
                }
            }
        }
    }
}
