package io.chainwatch.pattern;

import java.util.HashMap;
import java.util.Map;

/**
 * Lets equal conditions of different patterns be evaluated once per event: the prefilter counts every step
 * and escalation condition of the pack ({@link #count}), then asks for the instance to evaluate
 * ({@link #shared}); a condition used more than once becomes one memoised instance that remembers its
 * result for the event at hand. Packs repeat conditions (site copies of a rule with other severities,
 * "pods created by a person" in several rules, the pack x10 of the benchmark), and the prefilter tests every
 * candidate pattern on every event.
 */
public final class SharedConditions {
    private final Map<Condition, Integer> uses = new HashMap<>();
    private final Map<Condition, Condition> shared = new HashMap<>();

    public void count(Condition c) {
        uses.merge(c, 1, Integer::sum);
    }

    /** {@code c} itself when it is used once, else the one memoised instance of all conditions equal to it. */
    public Condition shared(Condition c) {
        if (uses.getOrDefault(c, 0) < 2) {
            return c;
        }
        return shared.computeIfAbsent(c, MemoizedCondition::new);
    }

    /** How many distinct conditions are shared by two or more uses (for tests). */
    public int sharedCount() {
        return (int) uses.values().stream().filter(n -> n >= 2).count();
    }
}
