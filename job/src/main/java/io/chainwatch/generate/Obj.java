package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small insertion-ordered JSON object for the less frequent bodies (pods, bindings, RBAC objects): cheaper
 * and more predictable than a Jackson tree, and written straight to the generator. Values may be null,
 * String, Number, Boolean, {@link Body} (including Obj), List or Object[].
 */
final class Obj implements Body {
    private final List<Object> kv = new ArrayList<>(16);

    /** A mapping from alternating keys and values. */
    static Obj of(Object... keysAndValues) {
        Obj o = new Obj();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            o.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return o;
    }

    static List<Object> arr(Object... items) {
        return Arrays.asList(items);
    }

    /** Adds the entry, or replaces the value of an entry with the same key (JSON keys are unique). */
    Obj put(String key, Object value) {
        for (int i = 0; i < kv.size(); i += 2) {
            if (kv.get(i).equals(key)) {
                kv.set(i + 1, value);
                return this;
            }
        }
        kv.add(key);
        kv.add(value);
        return this;
    }

    /** Sets the entry only when the value is not null. */
    Obj opt(String key, Object value) {
        return value == null ? this : put(key, value);
    }

    Object get(String key) {
        for (int i = 0; i < kv.size(); i += 2) {
            if (kv.get(i).equals(key)) {
                return kv.get(i + 1);
            }
        }
        return null;
    }

    /** A shallow copy with some entries replaced or added (same order). */
    Obj with(Object... keysAndValues) {
        Obj o = new Obj();
        o.kv.addAll(kv);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String k = (String) keysAndValues[i];
            int at = -1;
            for (int j = 0; j < o.kv.size(); j += 2) {
                if (o.kv.get(j).equals(k)) {
                    at = j;
                    break;
                }
            }
            if (at >= 0) {
                o.kv.set(at + 1, keysAndValues[i + 1]);
            } else {
                o.put(k, keysAndValues[i + 1]);
            }
        }
        return o;
    }

    @Override
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < kv.size(); i += 2) {
            g.writeFieldName((String) kv.get(i));
            value(g, kv.get(i + 1));
        }
        g.writeEndObject();
    }

    static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Body) {
            ((Body) v).write(g);
        } else if (v instanceof Integer) {
            g.writeNumber((Integer) v);
        } else if (v instanceof Long) {
            g.writeNumber((Long) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object item : (List<?>) v) {
                value(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof Object[]) {
            g.writeStartArray();
            for (Object item : (Object[]) v) {
                value(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof Number) {
            g.writeNumber(v.toString());
        } else {
            throw new IllegalArgumentException("unsupported JSON value " + v.getClass());
        }
    }
}
