package io.chainwatch.pattern;

import java.io.Serializable;
import java.util.List;

/** One named step of a pattern: the condition an event must meet, and (optionally) its own key fields. */
public final class StepDefinition implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String name;
    public final Condition where;
    /** Key fields for this step, or null to use the pattern's key. Same names as the pattern's key. */
    public final List<KeyField> keyOverride;

    public StepDefinition(String name, Condition where, List<KeyField> keyOverride) {
        this.name = name;
        this.where = where;
        this.keyOverride = keyOverride == null ? null : List.copyOf(keyOverride);
    }
}
