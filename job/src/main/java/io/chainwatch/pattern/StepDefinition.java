package io.chainwatch.pattern;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * One named step of a pattern: the condition an event must meet, how it follows the previous step, how often
 * it must occur, and how it relates to earlier steps (joins, its own key fields).
 */
public final class StepDefinition implements Serializable {
    private static final long serialVersionUID = 2L;

    /** How a step follows the one before it (Flink CEP's followedBy, next, followedByAny). */
    public enum Contiguity { RELAXED, STRICT, ANY }

    public final String name;
    public final Condition where;
    /** Key fields for this step, or null to use the pattern's key. Same names as the pattern's key. */
    public final List<KeyField> keyOverride;
    public final Contiguity contiguity;
    /** Longest allowed time since the previous step's event, or null. */
    public final Duration maxGap;
    /** How many events the step takes: 1..1 unless times/atLeast/atMost say otherwise. */
    public final int minTimes;
    public final int maxTimes;
    public final boolean optional;
    /** The step must NOT happen (not followed by / not between). */
    public final boolean absent;
    public final List<Join> joins;

    public StepDefinition(String name, Condition where, List<KeyField> keyOverride) {
        this(name, where, keyOverride, Contiguity.RELAXED, null, 1, 1, false, false, List.of());
    }

    public StepDefinition(String name, Condition where, List<KeyField> keyOverride, Contiguity contiguity,
                          Duration maxGap, int minTimes, int maxTimes, boolean optional, boolean absent, List<Join> joins) {
        this.name = name;
        this.where = where;
        this.keyOverride = keyOverride == null ? null : List.copyOf(keyOverride);
        this.contiguity = contiguity;
        this.maxGap = maxGap;
        this.minTimes = minTimes;
        this.maxTimes = maxTimes;
        this.optional = optional;
        this.absent = absent;
        this.joins = List.copyOf(joins);
    }

    public boolean isLooping() {
        return minTimes != 1 || maxTimes != 1;
    }
}
