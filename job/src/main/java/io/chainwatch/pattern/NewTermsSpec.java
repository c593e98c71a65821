package io.chainwatch.pattern;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * "First time this key does X": the combination of {@code fields} values is new for the key, and the key has
 * been seen for at least {@code learning} (its baseline), as in Defender's rare service-account operation.
 */
public final class NewTermsSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    public final List<FieldPath> fields;
    public final Duration learning;

    public NewTermsSpec(List<FieldPath> fields, Duration learning) {
        this.fields = List.copyOf(fields);
        this.learning = learning;
    }
}
