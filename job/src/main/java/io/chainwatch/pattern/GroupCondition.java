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
    public String describe() {
        if (mode == Mode.ALL && members.size() == 1) {
            return members.get(0).describe();
        }
        String inner = members.stream().map(Condition::describe).collect(Collectors.joining(", "));
        return mode.name().toLowerCase() + "(" + inner + ")";
    }
}
