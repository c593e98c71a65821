package io.chainwatch.coverage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoverageCatalogTest {

    static final Path ROOT = Paths.get(System.getProperty("chainwatch.root", "..")).toAbsolutePath().normalize();
    static final Path CATALOG = ROOT.resolve("cep-patterns").resolve("coverage");

    static PeerRuleCatalog shipped() throws Exception {
        return PeerRuleCatalog.load(CATALOG);
    }

    @Test
    void shippedCatalogueHasTheResearchedRules() throws Exception {
        PeerRuleCatalog c = shipped();

        List<PeerRule> defender = c.rules(PeerSource.DEFENDER);
        assertThat(defender).filteredOn(PeerRule::isCurrent).hasSize(19);
        assertThat(defender).filteredOn(r -> r.isCurrent() && PeerRule.RULE.equals(r.style)).hasSize(15);
        assertThat(defender).filteredOn(r -> PeerRule.BEHAVIOURAL.equals(r.style)).hasSize(4);
        assertThat(defender).filteredOn(r -> PeerRule.EXTERNAL.equals(r.style)).hasSize(3);
        assertThat(defender).filteredOn(r -> PeerRule.DEPRECATED.equals(r.status)).extracting(r -> r.id)
                .containsExactly("K8S_AnomalousPodDeployment", "K8S_AnomalousSecretAccess",
                        "K8S_ServiceAcountPermissionAnomaly");
        assertThat(defender).filteredOn(r -> PeerRule.TEST.equals(r.status)).hasSize(1);
        assertThat(defender).allSatisfy(r -> assertThat(r.title).isNotBlank());

        List<PeerRule> falco = c.rules(PeerSource.FALCO);
        assertThat(falco).hasSize(48);
        assertThat(falco).filteredOn(r -> !r.enabledByDefault).extracting(r -> r.id).containsExactly(
                "Create Disallowed Pod", "All K8s Audit Events", "Full K8s Administrative Access",
                "Untrusted Node Successfully Joined the Cluster", "Untrusted Node Unsuccessfully Tried to Join the Cluster");
        assertThat(c.find(PeerSource.FALCO, "Create Privileged Pod")).isNotNull();
        assertThat(c.find(PeerSource.FALCO, "Create Privileged Pod").severity).isEqualTo("WARNING");

        assertThat(c.rules(PeerSource.SIGMA)).hasSize(16);
        assertThat(c.find(PeerSource.SIGMA, "c5cd1b20-36bb-488d-8c05-486be3d0cb97").title)
                .isEqualTo("Privileged Container Deployed");

        assertThat(c.rules(PeerSource.ELASTIC)).hasSize(45);
        assertThat(c.rules(PeerSource.ELASTIC)).allSatisfy(r -> assertThat(r.type).isNotNull());
    }

    @Test
    void catalogueMistakesAreErrorsWithTheirLocation(@TempDir Path dir) throws Exception {
        for (PeerSource s : PeerSource.values()) {
            Files.copy(CATALOG.resolve(s.fileName()), dir.resolve(s.fileName()));
        }
        Files.writeString(dir.resolve("falco.yaml"), String.join("\n",
                "source: falco",
                "name: Falco",
                "rules:",
                "  - id: Create Privileged Pod",
                "    priority: WARNING",
                "    enabeld: true",
                "  - id: Create Privileged Pod",
                "    priority: WARNING",
                "    enabled: true",
                ""));
        Files.writeString(dir.resolve("sigma.yaml"), String.join("\n",
                "source: elastic",
                "name: Sigma",
                "rules:",
                "  - id: Privileged Container Deployed",
                "    title: Privileged Container Deployed",
                ""));
        assertThatThrownBy(() -> PeerRuleCatalog.load(dir))
                .isInstanceOf(PeerRuleCatalog.CatalogException.class)
                .hasMessageContaining(dir.resolve("falco.yaml") + ":6:5: error: unknown key 'enabeld'")
                .hasMessageContaining(dir.resolve("falco.yaml") + ":7:9: error: falco rule 'Create Privileged Pod' is listed twice (first on line 4)")
                .hasMessageContaining(dir.resolve("sigma.yaml") + ":1:9: error: source 'elastic' does not match the file name")
                .hasMessageContaining("a Sigma rule id is the rule's lower-case UUID");
    }

    @Test
    void aMissingCatalogueFileIsAnError(@TempDir Path dir) throws Exception {
        Files.copy(CATALOG.resolve("falco.yaml"), dir.resolve("falco.yaml"));
        assertThatThrownBy(() -> PeerRuleCatalog.load(dir))
                .hasMessageContaining("defender.yaml:1:1: error: missing catalogue file for defender")
                .hasMessageContaining("elastic.yaml");
    }
}
