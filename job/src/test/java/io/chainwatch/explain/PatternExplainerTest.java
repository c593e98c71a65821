package io.chainwatch.explain;

import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class PatternExplainerTest {

    static final Path ROOT = Paths.get(System.getProperty("chainwatch.root", ".."));

    static Map<String, PatternDefinition> load(String dir) throws Exception {
        return PatternLoader.load(ROOT.resolve(dir)).orThrow().stream()
                .collect(Collectors.toMap(p -> p.id, Function.identity()));
    }

    @Test
    void explainsEachKindOfEvaluation() throws Exception {
        Map<String, PatternDefinition> pack = load("cep-patterns");
        Map<String, PatternDefinition> examples = load("cep-patterns/examples");

        assertThat(PatternExplainer.explain(pack.get("privileged-container-created")))
                .contains("single event: decided in the router").contains("[0] event: all(all(any(macro pod-created");
        assertThat(PatternExplainer.explain(pack.get("exec-then-pod-token-reuse")))
                .contains("uid 'cep-sequences'")
                .contains("key: namespace=saNamespace, pod=podName")
                .contains("begin(\"exec\", skip-past-last-event).where(bit 0)")
                .contains(".within(30m, FIRST_AND_LAST)");
        assertThat(PatternExplainer.explain(examples.get("example-join-role-then-binding")))
                .contains(".where(bit 1 && requestObject.roleRef.name == steps.role.objectName)");
        assertThat(PatternExplainer.explain(examples.get("example-absent-between"))).contains(".notFollowedBy(\"deleted\")");
        assertThat(PatternExplainer.explain(examples.get("example-repeated-then-success"))).contains(".times(3, 20)");
        assertThat(PatternExplainer.explain(examples.get("example-aggregate-distinct-namespaces")))
                .contains("keyed function with event-time timers (uid 'aggregate-example-aggregate-distinct-namespaces')")
                .contains(">= 3 distinct objectRef.namespace");
        assertThat(PatternExplainer.explain(examples.get("example-new-terms-service-account")))
                .contains("new terms: keyed function").contains("after learning each key for 1d");
        assertThat(PatternExplainer.explain(examples.get("example-suppress-and-escalate")))
                .contains("one alert per rule and key per 1h").contains("critical when any step: objectRef.namespace equals kube-system");
    }

    @Test
    void theScaffoldIsAValidPatternWithAFiringAndAQuietTest() {
        List<PatternDefinition> defs = PatternLoader.loadText("new.yaml", PatternScaffold.render("my-new-sequence")).patterns;
        assertThat(defs).singleElement().satisfies(d -> {
            assertThat(d.id).isEqualTo("my-new-sequence");
            assertThat(d.isSequence()).isTrue();
            assertThat(d.tests).extracting(t -> t.expectedAlerts).containsExactly(1, 0);
        });
    }
}
