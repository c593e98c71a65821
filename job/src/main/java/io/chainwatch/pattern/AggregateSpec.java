package io.chainwatch.pattern;

import java.io.Serializable;
import java.time.Duration;

/**
 * A threshold over a sliding event-time window, per key (Sigma correlation's event_count / value_count):
 * at least {@code minCount} matching events, and/or at least {@code minDistinct} distinct values of
 * {@code distinctField}, within {@code window}.
 */
public final class AggregateSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Duration window;
    /** 0 when the count is not constrained. */
    public final int minCount;
    /** Null when distinct values are not counted. */
    public final FieldPath distinctField;
    public final int minDistinct;

    public AggregateSpec(Duration window, int minCount, FieldPath distinctField, int minDistinct) {
        this.window = window;
        this.minCount = minCount;
        this.distinctField = distinctField;
        this.minDistinct = minDistinct;
    }
}
