package io.chainwatch.detect;

import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatternKeysTest {

    private static PatternDefinition newTerms(String id) {
        String yaml = "id: " + id + "\ntitle: t\ndescription: d\nseverity: low\nkey: {user: user.username}\n"
                + "newTerms:\n  where: {verb: get}\n  fields: [objectRef.resource]\n  learning: 7d\n";
        PatternLoader.Result r = PatternLoader.loadText(id + ".yaml", yaml);
        assertThat(r.problems).isEmpty();
        return r.patterns.get(0);
    }

    private static PatternDefinition sequence(String id) {
        String yaml = "id: " + id + "\ntitle: t\ndescription: d\nseverity: low\nkey: {user: user.username}\nwithin: 1h\n"
                + "steps:\n  - name: a\n    where: {verb: create}\n  - name: b\n    where: {verb: delete}\n";
        PatternLoader.Result r = PatternLoader.loadText(id + ".yaml", yaml);
        assertThat(r.problems).isEmpty();
        return r.patterns.get(0);
    }

    @Test
    void twoSequencesWhoseIdsHashAlikeAreRefusedWhenTheJobIsBuilt() {
        assertThatThrownBy(() -> new SequenceOperator(List.of(sequence("paaka"), sequence("pac-a")), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sequence patterns 'paaka' and 'pac-a' have the same id hash");
    }

    @Test
    void twoNewTermsPatternsWhoseIdsHashAlikeAreRefusedBeforeTheirStateMixes() {
        assertThat("paaka".hashCode()).isEqualTo("pac-a".hashCode());
        assertThatThrownBy(() -> new NewTermsFunction(List.of(newTerms("paaka"), newTerms("pac-a")), 100))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'paaka' and 'pac-a' have the same id hash");
        new NewTermsFunction(List.of(newTerms("paaka"), newTerms("other")), 100);
    }
}
