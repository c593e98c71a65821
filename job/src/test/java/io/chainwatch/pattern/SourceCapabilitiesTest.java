package io.chainwatch.pattern;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceCapabilitiesTest {

    @Test
    void warnsWhereASourceCannotFeedAPattern() throws Exception {
        Map<String, PatternDefinition> pack = PatternLoader.load(Paths.get(System.getProperty("chainwatch.root", "..")).resolve("cep-patterns"))
                .orThrow().stream().collect(Collectors.toMap(p -> p.id, Function.identity()));
        assertThat(SourceCapabilities.warnings(pack.get("exec-then-pod-token-reuse"), "gke"))
                .anySatisfy(w -> assertThat(w).contains("reads 'podName'").contains("never matches"));
        assertThat(SourceCapabilities.warnings(pack.get("exec-then-pod-token-reuse"), "eks")).isEmpty();
        assertThat(SourceCapabilities.warnings(pack.get("privileged-pod-then-exec"), "aks"))
                .anySatisfy(w -> assertThat(w).contains("skipped-too-big-size-object"));
        assertThat(SourceCapabilities.warnings(pack.get("privileged-pod-then-exec"), "audit"))
                .anySatisfy(w -> assertThat(w).contains("needs audit policy level Request"));
        assertThat(SourceCapabilities.warnings(pack.get("anonymous-request-allowed"), "gke"))
                .anySatisfy(w -> assertThat(w).contains("'user.groups'"));
        assertThatThrownBy(() -> SourceCapabilities.warnings(pack.get("anonymous-request-allowed"), "splunk"))
                .hasMessageContaining("unknown source");
    }
}
