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

    @Test
    void twoNewTermsPatternsWhoseIdsHashAlikeAreRefusedBeforeTheirStateMixes() {
        assertThat("paaka".hashCode()).isEqualTo("pac-a".hashCode());
        assertThatThrownBy(() -> new NewTermsFunction(List.of(newTerms("paaka"), newTerms("pac-a")), 100))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'paaka' and 'pac-a' have the same id hash");
        new NewTermsFunction(List.of(newTerms("paaka"), newTerms("other")), 100);
    }
}
