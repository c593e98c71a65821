package io.chainwatch.sigma;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigmaConditionParserTest {

    private static String parse(String condition) throws SigmaConversionException {
        return SigmaConditionParser.parse(condition).toString();
    }

    @Test
    void aSingleIdentifier() throws Exception {
        assertThat(SigmaConditionParser.parse("selection")).isInstanceOf(SigmaConditionParser.Ref.class);
        assertThat(parse("selection")).isEqualTo("selection");
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() throws Exception {
        assertThat(parse("a or b and not c")).isEqualTo("(a or (b and not c))");
        assertThat(parse("not a and b")).isEqualTo("(not a and b)");
        assertThat(parse("a and b or c and d")).isEqualTo("((a and b) or (c and d))");
    }

    @Test
    void parenthesesGroup() throws Exception {
        assertThat(parse("(a or b) and not (c or d)")).isEqualTo("((a or b) and not (c or d))");
        assertThat(parse("((a))")).isEqualTo("a");
        assertThat(parse("not not a")).isEqualTo("not not a");
    }

    @Test
    void keywordsAreCaseInsensitive() throws Exception {
        assertThat(parse("a AND NOT b OR c")).isEqualTo("((a and not b) or c)");
        assertThat(parse("ALL OF sel* and 1 Of THEM")).isEqualTo("(all of sel* and 1 of them)");
    }

    @Test
    void quantifiers() throws Exception {
        SigmaConditionParser.Node n = SigmaConditionParser.parse("1 of selection_*");
        assertThat(n).isInstanceOf(SigmaConditionParser.Quantified.class);
        SigmaConditionParser.Quantified q = (SigmaConditionParser.Quantified) n;
        assertThat(q.all).isFalse();
        assertThat(q.select(List.of("selection_a", "selection_b", "filter", "selection"))).containsExactly("selection_a", "selection_b");
        SigmaConditionParser.Quantified all = (SigmaConditionParser.Quantified) SigmaConditionParser.parse("all of *_main");
        assertThat(all.all).isTrue();
        assertThat(all.select(List.of("sel_main", "main", "filter_main_x"))).containsExactly("sel_main");
        SigmaConditionParser.Quantified them = (SigmaConditionParser.Quantified) SigmaConditionParser.parse("1 of them");
        assertThat(them.pattern).isNull();
        assertThat(them.select(List.of("a", "_helper", "b"))).as("them skips identifiers starting with _").containsExactly("a", "b");
        assertThat(parse("any of sel*")).isEqualTo("1 of sel*");
    }

    @Test
    void malformedConditionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("(a or b")).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> parse("a or b)")).hasMessageContaining("unexpected ')'");
        assertThatThrownBy(() -> parse("a and")).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> parse("a b")).hasMessageContaining("unexpected 'b'");
        assertThatThrownBy(() -> parse("sel*")).hasMessageContaining("needs '1 of' or 'all of'");
        assertThatThrownBy(() -> parse("1 of")).hasMessageContaining("needs a search identifier");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("no condition");
        assertThatThrownBy(() -> parse("a = b")).hasMessageContaining("cannot read '='");
    }

    @Test
    void constructsChainwatchCannotExpressAreRefused() {
        assertThatThrownBy(() -> parse("selection | count() by user.username > 5"))
                .isInstanceOf(SigmaConversionException.class).hasMessageContaining("Sigma v1 aggregation");
        assertThatThrownBy(() -> parse("2 of selection_*")).hasMessageContaining("'2 of'");
        assertThatThrownBy(() -> parse("a near b")).hasMessageContaining("unexpected 'near'");
        assertThatThrownBy(() -> parse("near b")).hasMessageContaining("'near'");
    }
}
