package io.chainwatch.pattern;

import java.io.Serializable;

/** Raise an alert's severity when an event of a step (any step when {@code step} is null) meets a condition. */
public final class Escalation implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Severity severity;
    public final String step;
    public final Condition when;

    public Escalation(Severity severity, String step, Condition when) {
        this.severity = severity;
        this.step = step;
        this.when = when;
    }
}
