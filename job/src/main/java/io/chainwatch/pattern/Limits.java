package io.chainwatch.pattern;

import java.io.Serializable;
import java.time.Duration;

/**
 * The bounds every pattern must respect, so that no pattern can make Flink keep unbounded state: the longest
 * window (sequences, aggregates, suppression), the most repetitions of a step, the largest aggregate threshold,
 * and how many distinct values / new terms a keyed function keeps per key. Configurable per deployment.
 */
public final class Limits implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Limits DEFAULT = new Limits(Duration.ofDays(7), 100, 10_000, 10_000);

    public final Duration maxWindow;
    public final int maxRepetitions;
    public final int maxThreshold;
    /** Distinct values (aggregates) and terms (new terms) kept per key before the oldest/new ones are dropped. */
    public final int maxValuesPerKey;

    public Limits(Duration maxWindow, int maxRepetitions, int maxThreshold, int maxValuesPerKey) {
        this.maxWindow = maxWindow;
        this.maxRepetitions = maxRepetitions;
        this.maxThreshold = maxThreshold;
        this.maxValuesPerKey = maxValuesPerKey;
    }
}
