package io.chainwatch.explain;

import io.chainwatch.pattern.Durations;
import io.chainwatch.pattern.Escalation;
import io.chainwatch.pattern.FieldPath;
import io.chainwatch.pattern.Join;
import io.chainwatch.pattern.KeyField;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.StepDefinition;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders what the compiler makes of a pattern: which operator runs it (router only, Flink CEP, or a keyed
 * function with timers), its key and windows, each step's predicate as the prefilter evaluates it, and the
 * CEP graph.
 */
public final class PatternExplainer {

    private PatternExplainer() {}

    public static String explain(PatternDefinition def) {
        StringBuilder sb = new StringBuilder();
        sb.append(def.id).append(" — ").append(def.title).append('\n');
        sb.append("  file:       ").append(def.file).append('\n');
        sb.append("  severity:   ").append(def.severity.label());
        for (Escalation e : def.escalations) {
            sb.append(", ").append(e.severity.label()).append(" when ")
                    .append(e.step == null ? "any step" : "step " + e.step).append(": ").append(e.when.describe());
        }
        sb.append('\n');
        sb.append("  audit level needed: ").append(def.requiredLevel).append('\n');
        sb.append("  evaluation: ").append(evaluation(def)).append('\n');
        sb.append("  key:        ").append(keys(def.key)).append(" (+ cluster)\n");
        if (def.within != null) {
            sb.append("  window:     within ").append(Durations.format(def.within)).append(" first→last event\n");
        }
        if (def.aggregate != null) {
            sb.append("  threshold:  within a sliding ").append(Durations.format(def.aggregate.window)).append(" window: ");
            if (def.aggregate.minCount > 0) {
                sb.append(">= ").append(def.aggregate.minCount).append(" events");
            }
            if (def.aggregate.distinctField != null) {
                sb.append(def.aggregate.minCount > 0 ? " and " : "").append(">= ").append(def.aggregate.minDistinct)
                        .append(" distinct ").append(def.aggregate.distinctField);
            }
            sb.append('\n');
        }
        if (def.newTerms != null) {
            sb.append("  new terms:  ").append(def.newTerms.fields).append(", after learning each key for ")
                    .append(Durations.format(def.newTerms.learning)).append(" from its first event\n");
        }
        if (def.suppress != null) {
            sb.append("  suppress:   one alert per rule and key per ").append(Durations.format(def.suppress))
                    .append(" (operator uid 'suppress')\n");
        }
        if (def.isSequence()) {
            sb.append("  after match: ").append(def.afterMatch.keyword).append('\n');
        }
        sb.append("  prefilter (evaluated once per event in the router, uid 'route'):\n");
        for (int i = 0; i < def.steps.size(); i++) {
            StepDefinition s = def.steps.get(i);
            sb.append("    [").append(i).append("] ").append(s.name).append(": ").append(s.where.describe()).append('\n');
            if (s.keyOverride != null) {
                sb.append("        key: ").append(keys(s.keyOverride)).append('\n');
            }
        }
        if (def.isSequence()) {
            sb.append("  Flink CEP pattern (in the one sequence operator, uid 'cep-sequences', keyed by pattern id and the key above):\n");
            sb.append("    ").append(cepGraph(def)).append('\n');
        }
        Set<FieldPath> paths = new LinkedHashSet<>();
        def.steps.forEach(s -> s.where.collectPaths(paths));
        sb.append("  fields read: ").append(paths.stream().map(FieldPath::toString).collect(Collectors.joining(", "))).append('\n');
        sb.append("  tests:      ").append(def.tests.size()).append('\n');
        return sb.toString();
    }

    private static String evaluation(PatternDefinition def) {
        switch (def.kind()) {
            case SINGLE:
                return "single event: decided in the router, no state";
            case SEQUENCE:
                return "sequence: Flink CEP over the router's step bitmask (keyed state, bounded by the window)";
            case AGGREGATE:
                return "aggregate: keyed function with event-time timers (uid 'aggregate-" + def.id + "')";
            default:
                return "new terms: keyed function with event-time timers, shared by the pack's new-terms patterns (uid 'new-terms')";
        }
    }

    private static String keys(List<KeyField> key) {
        return key.isEmpty() ? "(none)" : key.stream().map(k -> k.name.equals(k.path.toString()) ? k.name : k.name + "=" + k.path)
                .collect(Collectors.joining(", "));
    }

    /** A Flink-API-like rendering: begin("a").followedBy("b").times(2,5)... .within(10m). */
    static String cepGraph(PatternDefinition def) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < def.steps.size(); i++) {
            StepDefinition s = def.steps.get(i);
            if (i == 0) {
                sb.append("begin(\"").append(s.name).append("\", ").append(def.afterMatch.keyword).append(")");
            } else if (s.absent) {
                sb.append(s.contiguity == StepDefinition.Contiguity.STRICT ? ".notNext(\"" : ".notFollowedBy(\"").append(s.name).append("\")");
            } else {
                String op = s.contiguity == StepDefinition.Contiguity.STRICT ? "next"
                        : s.contiguity == StepDefinition.Contiguity.ANY ? "followedByAny" : "followedBy";
                sb.append('.').append(op).append("(\"").append(s.name).append("\")");
            }
            sb.append(".where(bit ").append(i);
            for (Join j : s.joins) {
                sb.append(" && ").append(j);
            }
            sb.append(')');
            if (s.isLooping()) {
                sb.append(s.minTimes == s.maxTimes ? ".times(" + s.minTimes + ")" : ".times(" + s.minTimes + ", " + s.maxTimes + ")");
            }
            if (s.optional) {
                sb.append(".optional()");
            }
            if (s.maxGap != null) {
                sb.append(".within(").append(Durations.format(s.maxGap)).append(", PREVIOUS_AND_CURRENT)");
            }
            sb.append("\n    ");
        }
        sb.append(".within(").append(Durations.format(def.within)).append(", FIRST_AND_LAST)");
        return sb.toString();
    }
}
