package io.chainwatch.pattern;

import java.io.Serializable;

/**
 * An equality between a field of this step's event and a field of an earlier step's event, e.g.
 * {@code requestObject.roleRef.name == steps.role.objectName}. Multi-valued fields join when any values meet.
 */
public final class Join implements Serializable {
    private static final long serialVersionUID = 1L;

    public final FieldPath left;
    public final String step;
    public final FieldPath right;

    public Join(FieldPath left, String step, FieldPath right) {
        this.left = left;
        this.step = step;
        this.right = right;
    }

    @Override
    public String toString() {
        return left + " == steps." + step + "." + right;
    }
}
