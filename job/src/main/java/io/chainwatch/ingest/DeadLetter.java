package io.chainwatch.ingest;

import java.util.Objects;

/**
 * Input that could not become an {@link AuditEvent}, with enough context to find and fix it: where it was,
 * why it was refused, and (truncated) what it said. Written as one JSON line to the dead-letter output.
 */
public class DeadLetter {
    public static final int DEFAULT_MAX_TEXT = 4096;

    public String source;
    public long position;
    /** Machine-readable category, used for counting: malformed-json, invalid-utf8, missing-field, ... */
    public String category;
    /** Human-readable reason. */
    public String reason;
    /** The offending input, truncated to a limit. */
    public String text;
    /** True when {@link #text} was cut. */
    public boolean truncated;

    public DeadLetter() {}

    public static DeadLetter of(String source, long position, String category, String reason, String text, int maxText) {
        DeadLetter d = new DeadLetter();
        d.source = source;
        d.position = position;
        d.category = category;
        d.reason = reason;
        if (text != null && text.length() > maxText) {
            d.text = text.substring(0, maxText);
            d.truncated = true;
        } else {
            d.text = text;
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return position == d.position && truncated == d.truncated && Objects.equals(source, d.source)
                && Objects.equals(category, d.category) && Objects.equals(reason, d.reason)
                && Objects.equals(text, d.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, position, category);
    }

    @Override
    public String toString() {
        return source + ":" + position + ": " + category + ": " + reason;
    }
}
