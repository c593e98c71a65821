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

    CompiledPattern(PatternDefinition def, int index) {
        this.def = def;
        this.index = index;
        Map<String, KeyGroup> groups = new LinkedHashMap<>();
        for (int i = 0; i < def.steps.size(); i++) {
            List<KeyField> kf = def.keyFor(i);
            int step = i;
            groups.computeIfAbsent(kf.toString(), k -> new KeyGroup(kf)).steps.add(step);
        }
        this.keyGroups = List.copyOf(groups.values());
        List<List<FieldPath>> paths = new ArrayList<>();
        for (int i = 0; i < def.steps.size(); i++) {
            List<FieldPath> ps = new ArrayList<>();
            if (def.summary != null) {
                for (String p : def.summary.pathsFor(def.steps.get(i).name)) {
                    ps.add(FieldPath.parse(p));
                }
            }
            paths.add(ps);
        }
        this.templatePaths = paths;
    }
}
