package io.chainwatch.detect;

import io.chainwatch.pattern.FieldPath;
import io.chainwatch.pattern.KeyField;
import io.chainwatch.pattern.PatternDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pattern prepared for the router: its steps grouped by the key fields they use (so that an event is keyed
 * once per distinct key, not once per step) and the template paths each step needs extracted.
 */
final class CompiledPattern {

    /** Steps that share one set of key fields. */
    static final class KeyGroup {
        final List<KeyField> keyFields;
        final List<Integer> steps = new ArrayList<>();

        KeyGroup(List<KeyField> keyFields) {
            this.keyFields = keyFields;
        }
    }

    final PatternDefinition def;
    final int index;
    final List<KeyGroup> keyGroups;
    final List<List<FieldPath>> templatePaths;
    /**
     * Strict contiguity means "the very next event of the key", whatever it is, so such a pattern must see
     * every keyed event, not only those that satisfy a step.
     */
    final boolean needsAllEvents;
    /** The counter of events that satisfy a step but lack a key value (named once, not per event). */
    final String unkeyedCounter;
    /** Per step, the resources / verbs it requires (null: any); set by the router. */
    transient List<java.util.Set<String>> resourceGates;
    transient List<java.util.Set<String>> verbGates;
    /** Per step and per escalation, the condition to evaluate (shared with equal ones of other patterns); set by the router. */
    transient io.chainwatch.pattern.Condition[] stepWhere;
    transient io.chainwatch.pattern.Condition[] escalationWhen;

    CompiledPattern(PatternDefinition def, int index) {
        this.def = def;
        this.index = index;
        this.unkeyedCounter = "route.unkeyed." + def.id;
        Map<String, KeyGroup> groups = new LinkedHashMap<>();
        for (int i = 0; i < def.steps.size(); i++) {
            List<KeyField> kf = def.keyFor(i);
            int step = i;
            groups.computeIfAbsent(kf.toString(), k -> new KeyGroup(kf)).steps.add(step);
        }
        this.keyGroups = List.copyOf(groups.values());
        // Per step: the fields its events must carry to CEP, for the summary template and for joins
        // (this step's side of its own joins, and the other side of later steps' joins to it).
        List<java.util.Set<FieldPath>> paths = new ArrayList<>();
        for (int i = 0; i < def.steps.size(); i++) {
            paths.add(new java.util.LinkedHashSet<>());
        }
        for (int i = 0; i < def.steps.size(); i++) {
            if (def.summary != null) {
                for (String p : def.summary.pathsFor(def.steps.get(i).name)) {
                    paths.get(i).add(FieldPath.parse(p));
                }
            }
            if (def.titleTemplate != null) {
                for (String p : def.titleTemplate.pathsFor(def.steps.get(i).name)) {
                    paths.get(i).add(FieldPath.parse(p));
                }
            }
            for (io.chainwatch.pattern.Join j : def.steps.get(i).joins) {
                paths.get(i).add(j.left);
                paths.get(def.stepIndex(j.step)).add(j.right);
            }
        }
        if (def.aggregate != null && def.aggregate.distinctField != null) {
            paths.get(0).add(def.aggregate.distinctField);
        }
        if (def.newTerms != null) {
            paths.get(0).addAll(def.newTerms.fields);
        }
        List<List<FieldPath>> frozen = new ArrayList<>();
        paths.forEach(set -> frozen.add(List.copyOf(set)));
        this.templatePaths = frozen;
        this.needsAllEvents = def.steps.stream().skip(1).anyMatch(st -> st.contiguity == io.chainwatch.pattern.StepDefinition.Contiguity.STRICT)
                || def.steps.stream().anyMatch(st -> st.isLooping() && st.contiguity == io.chainwatch.pattern.StepDefinition.Contiguity.STRICT);
    }
}
