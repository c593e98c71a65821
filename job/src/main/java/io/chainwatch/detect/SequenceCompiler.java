package io.chainwatch.detect;

import io.chainwatch.pattern.PatternDefinition;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * Compiles a sequence {@link PatternDefinition} to a Flink CEP {@link Pattern} over {@link PatternEvent}s.
 *
 * <p>Step predicates were already evaluated by the {@link PatternRouter}; each CEP condition is a bit test on
 * the event's step mask, so CEP never re-reads the audit event. Steps are joined with relaxed contiguity
 * ({@code followedBy}), the window is first→last ({@code within}), and after a match the NFA skips past its
 * last event, so the first start wins and overlapping duplicates are not reported.
 */
public final class SequenceCompiler {

    private SequenceCompiler() {}

    public static Pattern<PatternEvent, PatternEvent> compile(PatternDefinition def) {
        if (!def.isSequence()) {
            throw new IllegalArgumentException(def.id + " is a single-event pattern; it needs no CEP");
        }
        Pattern<PatternEvent, PatternEvent> p = Pattern.<PatternEvent>begin(def.steps.get(0).name,
                AfterMatchSkipStrategy.skipPastLastEvent()).where(new StepCondition(0));
        for (int i = 1; i < def.steps.size(); i++) {
            p = p.followedBy(def.steps.get(i).name).where(new StepCondition(i));
        }
        return p.within(def.within);
    }

    /** True when the event satisfies step {@code index} (bit set by the router). */
    public static final class StepCondition extends SimpleCondition<PatternEvent> {
        private static final long serialVersionUID = 1L;
        private final int index;

        public StepCondition(int index) {
            this.index = index;
        }

        @Override
        public boolean filter(PatternEvent value) {
            return value.matchesStep(index);
        }
    }

    /**
     * Orders events that share a millisecond: by microsecond event time, then requestReceivedTimestamp, then
     * auditID, so that matches do not depend on arrival order.
     */
    public static final class EventOrder implements EventComparator<PatternEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(PatternEvent a, PatternEvent b) {
            int c = Long.compare(a.eventTimeMicros, b.eventTimeMicros);
            if (c != 0) {
                return c;
            }
            long ra = a.requestReceivedMicros == null ? Long.MIN_VALUE : a.requestReceivedMicros;
            long rb = b.requestReceivedMicros == null ? Long.MIN_VALUE : b.requestReceivedMicros;
            c = Long.compare(ra, rb);
            if (c != 0) {
                return c;
            }
            return String.valueOf(a.evidence.auditID).compareTo(String.valueOf(b.evidence.auditID));
        }
    }
}
