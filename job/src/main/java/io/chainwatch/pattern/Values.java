package io.chainwatch.pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Canonical text and numeric forms of values, so that YAML operands and JSON values compare alike. */
public final class Values {
    private Values() {}

    public static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof JsonNode) {
            return v.toString();
        }
        return String.valueOf(v);
    }

    /** The value as a number, or NaN when it is not numeric. */
    public static double number(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            try {
                return Double.parseDouble(((String) v).trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
