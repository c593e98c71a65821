package io.chainwatch.pattern;

import io.chainwatch.ingest.AuditEvent;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code all}, {@code any} or {@code none} of a list of conditions. */
public final class GroupCondition implements Condition {

    private static final long serialVersionUID = 1L;

    public enum Mode { ALL, ANY, NONE }

    private final Mode mode;
    private final List<Condition> members;

    public GroupCondition(Mode mode, List<Condition> members) {
        this.mode = mode;
        this.members = List.copyOf(members);
    }

    @Override
    public boolean test(AuditEvent event) {
        switch (mode) {
            case ALL:
                for (Condition c : members) {
                    if (!c.test(event)) {
                        return false;
                    }
                }
                return true;
            case ANY:
                for (Condition c : members) {
                    if (c.test(event)) {
                        return true;
                    }
                }
                return false;
            case NONE:
                for (Condition c : members) {
                    if (c.test(event)) {
                        return false;
                    }
                }
                return true;
            default:
                throw new IllegalStateException(mode.toString());
        }
    }

    @Override
    public void collectPaths(Set<FieldPath> into) {
        members.forEach(m -> m.collectPaths(into));
    }

    @Override
    public Set<String> requiredValues(FieldPath field) {
        switch (mode) {
            case ALL: {
                // every member must hold: what any of them pins down, all of them together pin down further
                Set<String> out = null;
                for (Condition c : members) {
                    Set<String> v = c.requiredValues(field);
                    if (v != null) {
                        if (out == null) {
                            out = new java.util.HashSet<>(v);
                        } else {
                            out.retainAll(v);
                        }
                    }
                }
                return out;
            }
            case ANY: {
                // one member must hold: pinned down only if every member pins it down
                Set<String> out = new java.util.HashSet<>();
                for (Condition c : members) {
                    Set<String> v = c.requiredValues(field);
                    if (v == null) {
                        return null;
                    }
                    out.addAll(v);
                }
                return members.isEmpty() ? null : out;
            }
            default:
                return null;
        }
    }

    @Override
    public String describe() {
        if (mode == Mode.ALL && members.size() == 1) {
            return members.get(0).describe();
        }
        String inner = members.stream().map(Condition::describe).collect(Collectors.joining(", "));
        return mode.name().toLowerCase() + "(" + inner + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupCondition && mode == ((GroupCondition) o).mode && members.equals(((GroupCondition) o).members);
    }

    @Override
    public int hashCode() {
        return 31 * mode.hashCode() + members.hashCode();
    }
}
