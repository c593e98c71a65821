package io.chainwatch.sigma;

import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.patterntest.PatternTestRunner;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The firing and quiet tests the importer generates pass on a real Flink job, with the whole converted pack loaded. */
class SigmaGeneratedTestsFlinkTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void generatedTestsOfEveryConvertedFixturePass() throws Exception {
        List<SigmaRule> rules = new ArrayList<>();
        for (Path f : SigmaRule.files(SigmaConverterTest.FIXTURES)) {
            rules.addAll(SigmaRule.read(f));
        }
        List<PatternDefinition> pack = new ArrayList<>();
        for (SigmaConverter.Result r : SigmaConverter.convert(rules)) {
            if (r.converted() && !r.form.equals("aggregate")) { // the aggregate form is not in the engine yet
                pack.addAll(PatternLoader.loadText(r.patternId + ".yaml", r.yaml).orThrow());
            }
        }
        assertThat(pack).hasSizeGreaterThanOrEqualTo(10);
        assertThat(pack.stream().filter(PatternDefinition::isSequence).count()).isEqualTo(2);
        List<PatternTestRunner.Result> results = PatternTestRunner.run(StreamExecutionEnvironment.getExecutionEnvironment(), pack, Set.of());
        String report = results.stream().map(PatternTestRunner.Result::describe).collect(Collectors.joining());
        assertThat(results).as(report).hasSize(pack.stream().mapToInt(p -> p.tests.size()).sum())
                .allSatisfy(r -> assertThat(r.passed()).as(report).isTrue());
    }
}
