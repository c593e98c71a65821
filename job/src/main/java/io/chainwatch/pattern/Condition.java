package io.chainwatch.pattern;

import io.chainwatch.ingest.AuditEvent;

import java.io.Serializable;
import java.util.Set;

/** A predicate over one audit event, compiled from a pattern's {@code where} block. */
public interface Condition extends Serializable {

    boolean test(AuditEvent event);

    /** Adds every field path this condition reads (for explain, audit-level checks and column pruning). */
    void collectPaths(Set<FieldPath> into);

    /**
     * The values {@code field} must equal for this condition to hold, or null when the condition does not
     * pin it down (the prefilter indexes patterns by verb and resource with this; null is always safe).
     */
    default Set<String> requiredValues(FieldPath field) {
        return null;
    }

    /** A readable, one-line rendering for {@code explain} and error messages. */
    String describe();
}
