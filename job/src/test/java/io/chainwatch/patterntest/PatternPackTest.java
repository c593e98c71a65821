package io.chainwatch.patterntest;

import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every test inside the shipped pattern files passes, in one Flink job over the whole pack. */
class PatternPackTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final Path PATTERNS = Paths.get(System.getProperty("chainwatch.root", "..")).resolve("cep-patterns");

    @Test
    void everyShippedPatternHasAFiringAndAQuietTestAndAllPass() throws Exception {
        List<PatternDefinition> pack = PatternLoader.load(PATTERNS).orThrow();
        assertThat(pack.stream().filter(p -> !p.isSequence()).count()).isGreaterThanOrEqualTo(3);
        assertThat(pack.stream().filter(PatternDefinition::isSequence).count()).isGreaterThanOrEqualTo(3);
        for (PatternDefinition p : pack) {
            assertThat(p.tests).as(p.id + " has a firing test").anySatisfy(t -> assertThat(t.expectedAlerts).isPositive());
            assertThat(p.tests).as(p.id + " has a quiet test").anySatisfy(t -> assertThat(t.expectedAlerts).isZero());
        }
        List<PatternTestRunner.Result> results = PatternTestRunner.run(StreamExecutionEnvironment.getExecutionEnvironment(), pack, Set.of());
        String report = results.stream().map(PatternTestRunner.Result::describe).collect(Collectors.joining());
        assertThat(results).as(report).hasSize(pack.stream().mapToInt(p -> p.tests.size()).sum())
                .allSatisfy(r -> assertThat(r.passed()).as(report).isTrue());
    }

    @Test
    void everyLanguageFeatureExampleBehavesAsItsTestsSay() throws Exception {
        List<PatternDefinition> examples = PatternLoader.load(PATTERNS.resolve("examples")).orThrow();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(9);
        List<PatternTestRunner.Result> results = PatternTestRunner.run(StreamExecutionEnvironment.getExecutionEnvironment(), examples, Set.of());
        String report = results.stream().map(PatternTestRunner.Result::describe).collect(Collectors.joining());
        assertThat(results).as(report).allSatisfy(r -> assertThat(r.passed()).as(report).isTrue());
    }

    @Test
    void theScaffoldsTestsPassAsWritten() throws Exception {
        List<PatternDefinition> scaffold = PatternLoader.loadText("new.yaml", io.chainwatch.explain.PatternScaffold.render("fresh")).orThrow();
        assertThat(PatternTestRunner.run(StreamExecutionEnvironment.getExecutionEnvironment(), scaffold, Set.of()))
                .hasSize(2).allSatisfy(r -> assertThat(r.passed()).as(r.describe()).isTrue());
    }

    @Test
    void theExamplesInTheGuideAreValidAndTheirTestsPass() throws Exception {
        String guide = java.nio.file.Files.readString(PATTERNS.resolve("README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(guide);
        List<PatternDefinition> examples = new ArrayList<>();
        while (m.find()) {
            String block = m.group(1).stripIndent();
            if (block.startsWith("id:")) {
                examples.addAll(PatternLoader.loadText("README example", block).orThrow());
            }
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        List<PatternTestRunner.Result> results = PatternTestRunner.run(StreamExecutionEnvironment.getExecutionEnvironment(), examples, Set.of());
        assertThat(results).isNotEmpty().allSatisfy(r -> assertThat(r.passed()).as(r.describe()).isTrue());
    }

    @Test
    void aWrongExpectationFailsAndShowsTheActualAlerts() throws Exception {
        String yaml = String.join("\n",
                "id: any-exec",
                "title: Any exec",
                "severity: low",
                "key: {actor: principal}",
                "where: {objectRef.subresource: exec}",
                "tests:",
                "  - name: claims quiet but fires",
                "    events:",
                "      - {verb: create, user: {username: eve}, objectRef: {resource: pods, name: p, subresource: exec}}",
                "    expect: {alerts: 0}",
                "  - name: bad event is reported",
                "    events:",
                "      - {verb: 7}",
                "    expect: {alerts: 0}",
                "  - name: wrong alert details",
                "    events:",
                "      - {verb: get, user: {username: eve}, objectRef: {resource: pods, name: p, subresource: exec}}",
                "      - {at: 1s, verb: create, user: {username: bob}, objectRef: {resource: pods, name: p, subresource: exec}}",
                "    expect: {alerts: 2, severity: high, key: {actor: mallory}, evidence: [1], summaryContains: nothing}",
                "");
        List<PatternDefinition> pack = new ArrayList<>(PatternLoader.loadText("any-exec.yaml", yaml).orThrow());
        List<PatternTestRunner.Result> results = PatternTestRunner.run(StreamExecutionEnvironment.getExecutionEnvironment(), pack, Set.of());
        assertThat(results).hasSize(3).noneSatisfy(r -> assertThat(r.passed()).isTrue());
        assertThat(results.get(2).describe()).contains("severity: expected high, got low")
                .contains("key.actor: expected 'mallory', got 'eve'").contains("evidence: expected events [#1], got [#0]")
                .contains("summary: expected to contain 'nothing'");
        assertThat(results.get(0).describe()).contains("FAIL any-exec / claims quiet but fires")
                .contains("expected 0 alert(s), got 1").contains("actual: Any exec ({actor=eve})");
        assertThat(results.get(1).describe()).contains("test event rejected: field 'verb': expected a string");
    }
}
