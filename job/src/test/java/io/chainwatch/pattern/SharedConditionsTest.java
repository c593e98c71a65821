package io.chainwatch.pattern;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SharedConditionsTest {

    private static final String PATTERN = "id: %s\ntitle: t\ndescription: d\nseverity: low\nwhere:\n"
            + "  verb: [create, patch]\n"
            + "  objectRef.resource: pods\n"
            + "  none:\n"
            + "    - user.username: {prefix: \"system:\"}\n"
            + "    - %s\n";

    private static Condition where(String id, String last) {
        List<PatternDefinition> defs = PatternLoader.loadText(id + ".yaml", String.format(PATTERN, id, last)).patterns;
        assertThat(defs).hasSize(1);
        return defs.get(0).steps.get(0).where;
    }

    @Test
    void conditionsCompiledFromTheSameWhereAreEqualAndOthersAreNot() {
        Condition a = where("a", "userAgent: {prefix: kubectl/}");
        Condition b = where("b", "userAgent: {prefix: kubectl/}");
        assertThat(a).isNotSameAs(b).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(where("c", "userAgent: {prefix: helm/}"));
        assertThat(a).isNotEqualTo(where("d", "userAgent: {suffix: kubectl/}"));
        assertThat(a).isNotEqualTo(where("e", "userAgent: {prefix: kubectl/, ignoreCase: true}"));
        // list operands compare element by element: ["a, b"] is not ["a", "b"]
        assertThat(where("f", "sourceIPs: [\"10.0.0.1, 10.0.0.2\"]")).isNotEqualTo(where("g", "sourceIPs: [10.0.0.1, 10.0.0.2]"));
    }

    @Test
    void aConditionUsedTwiceIsEvaluatedThroughOneSharedInstance() {
        Condition a = where("a", "userAgent: {prefix: kubectl/}");
        Condition b = where("b", "userAgent: {prefix: kubectl/}");
        Condition c = where("c", "userAgent: {prefix: helm/}");
        SharedConditions shared = new SharedConditions();
        List.of(a, b, c).forEach(shared::count);
        assertThat(shared.sharedCount()).isEqualTo(1);
        assertThat(shared.shared(a)).isSameAs(shared.shared(b)).isInstanceOf(MemoizedCondition.class).isEqualTo(new MemoizedCondition(a));
        assertThat(shared.shared(c)).isSameAs(c);
    }
}
