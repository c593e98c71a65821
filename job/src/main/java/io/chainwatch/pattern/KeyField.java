package io.chainwatch.pattern;

import java.io.Serializable;

/** One named component of a correlation key, e.g. {@code pod: objectRef.name}. */
public final class KeyField implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String name;
    public final FieldPath path;

    public KeyField(String name, FieldPath path) {
        this.name = name;
        this.path = path;
    }

    @Override
    public String toString() {
        return name + "=" + path;
    }
}
