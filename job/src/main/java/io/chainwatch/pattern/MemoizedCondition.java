package io.chainwatch.pattern;

import io.chainwatch.ingest.AuditEvent;

import java.util.Set;

/**
 * A macro's body, shared by every pattern that uses the macro, remembering its result for the last event it
 * saw: the router tests the pack's patterns one after another on the same event, and the common macros
 * (platform identities, pod created) would otherwise be evaluated once per pattern that names them.
 */
final class MemoizedCondition implements Condition {
    private static final long serialVersionUID = 1L;

    private final Condition body;
    /** The last (event, result); one reference, so that a reader always sees a consistent pair. */
    private transient volatile Memo last;

    private static final class Memo {
        final AuditEvent event;
        final boolean result;

        Memo(AuditEvent event, boolean result) {
            this.event = event;
            this.result = result;
        }
    }

    MemoizedCondition(Condition body) {
        this.body = body;
    }

    @Override
    public boolean test(AuditEvent event) {
        Memo m = last;
        if (m != null && m.event == event) {
            return m.result;
        }
        boolean r = body.test(event);
        last = new Memo(event, r);
        return r;
    }

    @Override
    public void collectPaths(Set<FieldPath> into) {
        body.collectPaths(into);
    }

    @Override
    public Set<String> requiredValues(FieldPath field) {
        return body.requiredValues(field);
    }

    @Override
    public String describe() {
        return body.describe();
    }

    /** Equal to another memo of an equal body: the memo is an evaluation detail, not part of the meaning. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MemoizedCondition && body.equals(((MemoizedCondition) o).body);
    }

    @Override
    public int hashCode() {
        return body.hashCode();
    }
}
