package io.chainwatch.pattern;

import io.chainwatch.ingest.AuditEvent;

import java.util.Set;

/** Negation of a condition. */
public final class NotCondition implements Condition {

    private static final long serialVersionUID = 1L;

    private final Condition inner;

    public NotCondition(Condition inner) {
        this.inner = inner;
    }

    @Override
    public boolean test(AuditEvent event) {
        return !inner.test(event);
    }

    @Override
    public void collectPaths(Set<FieldPath> into) {
        inner.collectPaths(into);
    }

    @Override
    public String describe() {
        return "not(" + inner.describe() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotCondition && inner.equals(((NotCondition) o).inner);
    }

    @Override
    public int hashCode() {
        return ~inner.hashCode();
    }
}
