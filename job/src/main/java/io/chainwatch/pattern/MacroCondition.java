package io.chainwatch.pattern;

import io.chainwatch.ingest.AuditEvent;

import java.util.Set;

/** A named, shared condition from {@code cep-patterns/macros/}; evaluates its body, describes itself by name. */
public final class MacroCondition implements Condition {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final Condition body;

    public MacroCondition(String name, Condition body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public boolean test(AuditEvent event) {
        return body.test(event);
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
        return "macro " + name;
    }

    /** The macro's condition spelled out, for explain. */
    public String expand() {
        return name + " = " + body.describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacroCondition && name.equals(((MacroCondition) o).name) && body.equals(((MacroCondition) o).body);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
