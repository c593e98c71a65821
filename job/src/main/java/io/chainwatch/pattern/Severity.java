package io.chainwatch.pattern;

/** Alert severities, lowest first. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    public String label() {
        return name().toLowerCase();
    }
}
