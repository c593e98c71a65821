package io.chainwatch.detect;

import io.chainwatch.alert.AlertEvidence;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import org.apache.flink.cep.nfa.aftermatch.SkipPastLastStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.Quantifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequenceCompilerTest {

    static PatternDefinition load(String yaml) throws Exception {
        return PatternLoader.loadText("p.yaml", yaml).orThrow().get(0);
    }

    @Test
    void compilesStepsInOrderWithRelaxedContiguityAWindowAndSkipPastLastEvent() throws Exception {
        PatternDefinition def = load("id: three\ntitle: t\nseverity: low\nkey: [principal]\nwithin: 90s\nsteps:\n"
                + "  - {name: a, where: {verb: get}}\n  - {name: b, where: {verb: list}}\n  - {name: c, where: {verb: create}}\n");
        Pattern<PatternEvent, ?> p = SequenceCompiler.compile(def);
        List<String> names = new ArrayList<>();
        for (Pattern<PatternEvent, ?> q = p; q != null; q = q.getPrevious()) {
            names.add(0, q.getName());
            if (q.getPrevious() != null) {
                assertThat(q.getQuantifier().getInnerConsumingStrategy())
                        .as("relaxed contiguity between steps").isEqualTo(Quantifier.ConsumingStrategy.SKIP_TILL_NEXT);
            }
        }
        assertThat(names).containsExactly("a", "b", "c");
        assertThat(p.getWindowSize()).contains(Duration.ofSeconds(90));
        assertThat(p.getAfterMatchSkipStrategy()).isInstanceOf(SkipPastLastStrategy.class);
    }

    @Test
    void singleEventPatternsNeedNoCep() throws Exception {
        PatternDefinition def = load("id: one\ntitle: t\nseverity: low\nwhere: {verb: get}\n");
        assertThat(def.isSequence()).isFalse();
        assertThatThrownBy(() -> SequenceCompiler.compile(def)).hasMessageContaining("needs no CEP");
    }

    @Test
    void stepConditionsTestTheRoutersBitmask() {
        PatternEvent e = new PatternEvent();
        e.stepMask = 0b101;
        assertThat(new SequenceCompiler.StepCondition(0).filter(e)).isTrue();
        assertThat(new SequenceCompiler.StepCondition(1).filter(e)).isFalse();
        assertThat(new SequenceCompiler.StepCondition(2).filter(e)).isTrue();
    }

    @Test
    void eventsInTheSameMillisecondAreOrderedByMicrosThenReceivedTimeThenAuditId() {
        SequenceCompiler.EventOrder order = new SequenceCompiler.EventOrder();
        assertThat(order.compare(event(1_000_001, 5L, "b"), event(1_000_002, 1L, "a"))).isNegative();
        assertThat(order.compare(event(1_000_001, 5L, "a"), event(1_000_001, 4L, "b"))).isPositive();
        assertThat(order.compare(event(1_000_001, 4L, "a"), event(1_000_001, 4L, "b"))).isNegative();
        assertThat(order.compare(event(1_000_001, null, "z"), event(1_000_001, 4L, "a"))).isNegative();
    }

    private static PatternEvent event(long micros, Long received, String auditId) {
        PatternEvent e = new PatternEvent();
        e.eventTimeMicros = micros;
        e.requestReceivedMicros = received;
        e.evidence = new AlertEvidence();
        e.evidence.auditID = auditId;
        return e;
    }

    @Test
    void mapsConnectorsQuantifiersAbsenceAndGapsOntoCep() throws Exception {
        PatternDefinition def = load(String.join("\n",
                "id: all-features", "title: t", "severity: low", "key: [principal]", "within: 20m", "afterMatch: no-skip",
                "steps:",
                "  - {name: a, where: {verb: get}}",
                "  - {name: b, then: strict, where: {verb: list}}",
                "  - {name: c, absent: true, where: {verb: delete}}",
                "  - {name: d, atLeast: 2, atMost: 4, maxGap: 5m, where: {verb: create}, join: {objectName: a.objectName}}",
                "  - {name: e, optional: true, then: any, where: {verb: patch}}",
                "  - {name: f, times: 3, where: {verb: update}}",
                ""));
        java.util.Map<String, Pattern<PatternEvent, ?>> nodes = new java.util.HashMap<>();
        for (Pattern<PatternEvent, ?> q = SequenceCompiler.compile(def); q != null; q = q.getPrevious()) {
            nodes.put(q.getName(), q);
        }
        assertThat(nodes.get("b").getQuantifier().getConsumingStrategy()).isEqualTo(Quantifier.ConsumingStrategy.STRICT);
        assertThat(nodes.get("c").getQuantifier().getConsumingStrategy()).isEqualTo(Quantifier.ConsumingStrategy.NOT_FOLLOW);
        assertThat(nodes.get("d").getTimes().getFrom()).isEqualTo(2);
        assertThat(nodes.get("d").getTimes().getTo()).isEqualTo(4);
        assertThat(nodes.get("d").getWindowSize(org.apache.flink.cep.pattern.WithinType.PREVIOUS_AND_CURRENT)).contains(Duration.ofMinutes(5));
        assertThat(nodes.get("d").getCondition()).isInstanceOf(SequenceCompiler.JoinedStepCondition.class);
        assertThat(nodes.get("e").getQuantifier().hasProperty(Quantifier.QuantifierProperty.OPTIONAL)).isTrue();
        assertThat(nodes.get("e").getQuantifier().getConsumingStrategy()).isEqualTo(Quantifier.ConsumingStrategy.SKIP_TILL_ANY);
        assertThat(nodes.get("f").getTimes().getFrom()).isEqualTo(3);
        assertThat(nodes.get("f").getWindowSize(org.apache.flink.cep.pattern.WithinType.FIRST_AND_LAST)).contains(Duration.ofMinutes(20));
        assertThat(nodes.get("a").getAfterMatchSkipStrategy()).isInstanceOf(org.apache.flink.cep.nfa.aftermatch.NoSkipStrategy.class);
    }
}
