package io.chainwatch.detect;

import io.chainwatch.pattern.Join;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.StepDefinition;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.WithinType;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

import java.util.List;

/**
 * Compiles a sequence {@link PatternDefinition} to a Flink CEP {@link Pattern} over {@link PatternEvent}s.
 *
 * <p>Step predicates were already evaluated by the {@link PatternRouter}; each CEP condition is a bit test on
 * the event's step mask (plus, for steps with joins, a comparison with the events of earlier steps), so CEP
 * never re-reads the audit event. Step connectors map one to one: relaxed → {@code followedBy}, strict →
 * {@code next}, any → {@code followedByAny}, absent → {@code notFollowedBy}/{@code notNext}; repetitions →
 * {@code times}; {@code maxGap} → a previous-to-current window on the step; {@code within} → the
 * first-to-last window. After a match the NFA skips past its last event unless the pattern says otherwise.
 */
public final class SequenceCompiler {

    private SequenceCompiler() {}

    public static Pattern<PatternEvent, PatternEvent> compile(PatternDefinition def) {
        if (!def.isSequence()) {
            throw new IllegalArgumentException(def.id + " is a single-event pattern; it needs no CEP");
        }
        Pattern<PatternEvent, PatternEvent> p = null;
        for (int i = 0; i < def.steps.size(); i++) {
            StepDefinition step = def.steps.get(i);
            if (p == null) {
                p = Pattern.begin(step.name, skipStrategy(def.afterMatch));
            } else if (step.absent) {
                p = step.contiguity == StepDefinition.Contiguity.STRICT ? p.notNext(step.name) : p.notFollowedBy(step.name);
            } else {
                switch (step.contiguity) {
                    case STRICT:
                        p = p.next(step.name);
                        break;
                    case ANY:
                        p = p.followedByAny(step.name);
                        break;
                    default:
                        p = p.followedBy(step.name);
                }
            }
            p = p.where(condition(i, step.joins));
            if (step.isLooping()) {
                p = step.minTimes == step.maxTimes ? p.times(step.minTimes) : p.times(step.minTimes, step.maxTimes);
                if (step.contiguity == StepDefinition.Contiguity.STRICT) {
                    p = p.consecutive();
                }
            }
            if (step.optional) {
                p = p.optional();
            }
            if (step.maxGap != null) {
                p = p.within(step.maxGap, WithinType.PREVIOUS_AND_CURRENT);
            }
        }
        return p.within(def.within, WithinType.FIRST_AND_LAST);
    }

    static AfterMatchSkipStrategy skipStrategy(PatternDefinition.AfterMatch policy) {
        switch (policy) {
            case NO_SKIP:
                return AfterMatchSkipStrategy.noSkip();
            case SKIP_TO_NEXT:
                return AfterMatchSkipStrategy.skipToNext();
            default:
                return AfterMatchSkipStrategy.skipPastLastEvent();
        }
    }

    static IterativeCondition<PatternEvent> condition(int index, List<Join> joins) {
        return joins.isEmpty() ? new StepCondition(index) : new JoinedStepCondition(index, joins);
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

    /** The step's bit plus every join: some value of this event's field equals one of an earlier step's event. */
    public static final class JoinedStepCondition extends IterativeCondition<PatternEvent> {
        private static final long serialVersionUID = 1L;
        private final int index;
        private final List<Join> joins;

        public JoinedStepCondition(int index, List<Join> joins) {
            this.index = index;
            this.joins = List.copyOf(joins);
        }

        @Override
        public boolean filter(PatternEvent value, Context<PatternEvent> ctx) throws Exception {
            if (!value.matchesStep(index)) {
                return false;
            }
            for (Join j : joins) {
                List<String> mine = value.fields == null ? null : value.fields.get(j.left.toString());
                if (mine == null || mine.isEmpty() || !anyEarlierMatches(ctx.getEventsForPattern(j.step), j, mine)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean anyEarlierMatches(Iterable<PatternEvent> earlier, Join j, List<String> mine) {
            for (PatternEvent e : earlier) {
                List<String> theirs = e.fields == null ? null : e.fields.get(j.right.toString());
                if (theirs != null) {
                    for (String v : theirs) {
                        if (mine.contains(v)) {
                            return true;
                        }
                    }
                }
            }
            return false;
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
