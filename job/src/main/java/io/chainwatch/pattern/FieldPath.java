package io.chainwatch.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainwatch.ingest.AuditEvent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A reference to a value in an audit event, as written in pattern files: a field of the audit event
 * ({@code verb}, {@code objectRef.resource}), a derived field ({@code principal}, {@code podName}), a map
 * entry ({@code annotations.authorization.k8s.io/decision}, {@code user.extra.authentication.kubernetes.io/pod-name})
 * or a JSON path into the request or response object
 * ({@code requestObject.spec.containers[*].securityContext.privileged}).
 *
 * <p>Resolving a path yields zero or more values; arrays are flattened so that conditions can match any or
 * all of them. Paths are checked against the audit schema when a pattern is loaded.
 */
public final class FieldPath implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The value type a known field has; JSON paths are {@link #ANY}. */
    public enum Type { STRING, INTEGER, STRING_LIST, ANY }

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    private static void field(String name, Type type, String doc, Function<AuditEvent, Object> getter) {
        FIELDS.put(name, new Field(name, type, doc, getter));
    }

    static {
        field("cluster", Type.STRING, "cluster name assigned by the collector or --cluster", e -> e.cluster);
        field("auditID", Type.STRING, "unique id of the request", e -> e.auditID);
        field("stage", Type.STRING, "ResponseComplete, ResponseStarted (exec/attach/portforward) or Panic", e -> e.stage);
        field("level", Type.STRING, "audit level: Metadata, Request or RequestResponse", e -> e.level);
        field("apiVersion", Type.STRING, "audit.k8s.io/v1 or v1beta1", e -> e.apiVersion);
        field("requestURI", Type.STRING, "path and query as sent", e -> e.requestURI);
        field("verb", Type.STRING, "get, list, watch, create, update, patch, delete, deletecollection", e -> e.verb);
        field("userAgent", Type.STRING, "client supplied user agent (untrusted)", e -> e.userAgent);
        field("user.username", Type.STRING, "authenticated user", e -> e.userName);
        field("user.uid", Type.STRING, "authenticated user's uid", e -> e.userUID);
        field("user.groups", Type.STRING_LIST, "authenticated user's groups", e -> e.userGroups);
        field("impersonatedUser.username", Type.STRING, "impersonated user, when Impersonate-* headers were used", e -> e.impersonatedUserName);
        field("impersonatedUser.groups", Type.STRING_LIST, "impersonated groups", e -> e.impersonatedGroups);
        field("sourceIPs", Type.STRING_LIST, "client IPs: X-Forwarded-For entries, then the TCP peer", e -> e.sourceIPs);
        field("objectRef.resource", Type.STRING, "resource, e.g. pods", e -> e.resource);
        field("objectRef.subresource", Type.STRING, "subresource, e.g. exec", e -> e.subresource);
        field("objectRef.namespace", Type.STRING, "namespace of the object", e -> e.namespace);
        field("objectRef.name", Type.STRING, "name of the object (empty on create with generateName)", e -> e.name);
        field("objectRef.apiGroup", Type.STRING, "API group; empty for the core group", e -> e.apiGroup);
        field("objectRef.apiVersion", Type.STRING, "API version of the object", e -> e.objectApiVersion);
        field("objectRef.uid", Type.STRING, "uid of the object", e -> e.objectUID);
        field("responseStatus.code", Type.INTEGER, "HTTP status code", e -> e.responseCode);
        field("responseStatus.status", Type.STRING, "Success or Failure", e -> e.responseStatus);
        field("responseStatus.reason", Type.STRING, "Forbidden, NotFound, AlreadyExists, ...", e -> e.responseReason);
        field("responseStatus.message", Type.STRING, "failure message", e -> e.responseMessage);
        field("principal", Type.STRING, "derived: impersonated user if any, else user.username", e -> e.principal);
        field("saNamespace", Type.STRING, "derived: namespace of a service account principal", e -> e.saNamespace);
        field("saName", Type.STRING, "derived: name of a service account principal", e -> e.saName);
        field("podName", Type.STRING, "derived: pod a bound service account token belongs to (user.extra)", e -> e.podName);
        field("credentialId", Type.STRING, "derived: credential id (JTI=... or X509SHA256=...) from user.extra", e -> e.credentialId);
        field("objectName", Type.STRING, "derived: objectRef.name, else the request/response metadata.name", e -> e.objectName);
        field("clientIP", Type.STRING, "derived: first of sourceIPs", e -> e.clientIP);
        field("peerIP", Type.STRING, "derived: last of sourceIPs (the TCP peer)", e -> e.peerIP);
        field("responseClass", Type.STRING, "derived: 1xx..5xx, or unknown", e -> e.responseClass);
        field("decision", Type.STRING, "derived: authorization.k8s.io/decision annotation (allow|forbid)", e -> e.decision);
    }

    private enum Kind { FIELD, ANNOTATION, EXTRA, REQUEST, RESPONSE, UNKNOWN }

    private final String text;
    private final Kind kind;
    private final String fieldName;
    private final String mapKey;
    private final List<Segment> segments;
    /** The FIELD kind's getter, looked up once (a map lookup per evaluation showed in profiles). */
    private transient Function<AuditEvent, Object> getter;

    private FieldPath(String text, Kind kind, String fieldName, String mapKey, List<Segment> segments) {
        this.text = text;
        this.kind = kind;
        this.fieldName = fieldName;
        this.mapKey = mapKey;
        this.segments = segments;
    }

    /** Parses a path, or throws {@link IllegalArgumentException} with a message fit for a pattern author. */
    public static FieldPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty field path");
        }
        if (FIELDS.containsKey(text)) {
            return new FieldPath(text, Kind.FIELD, text, null, List.of());
        }
        if (text.startsWith("annotations.") && text.length() > "annotations.".length()) {
            return new FieldPath(text, Kind.ANNOTATION, null, text.substring("annotations.".length()), List.of());
        }
        if (text.startsWith("user.extra.") && text.length() > "user.extra.".length()) {
            return new FieldPath(text, Kind.EXTRA, null, text.substring("user.extra.".length()), List.of());
        }
        for (Kind k : new Kind[] {Kind.REQUEST, Kind.RESPONSE}) {
            String root = k == Kind.REQUEST ? "requestObject" : "responseObject";
            if (text.equals(root) || text.startsWith(root + ".") || text.startsWith(root + "[")) {
                return new FieldPath(text, k, null, null, parseSegments(text.substring(root.length())));
            }
        }
        String near = Suggestions.closest(text, FIELDS.keySet());
        throw new IllegalArgumentException("unknown field '" + text + "'"
                + (near != null ? "; did you mean '" + near + "'?" : "")
                + " (fields: audit event fields, derived fields, annotations.<key>, user.extra.<key>,"
                + " requestObject.<path>, responseObject.<path>)");
    }

    /**
     * A path that is not in the audit schema: it resolves to nothing, so conditions on it never match
     * (the loader warns about it).
     */
    public static FieldPath unknown(String text) {
        return new FieldPath(text, Kind.UNKNOWN, null, null, List.of());
    }

    public boolean isUnknown() {
        return kind == Kind.UNKNOWN;
    }

    /** The known audit and derived fields with their documentation. */
    public static Map<String, String> knownFields() {
        Map<String, String> out = new LinkedHashMap<>();
        FIELDS.forEach((k, v) -> out.put(k, v.doc));
        return out;
    }

    public Type type() {
        return kind == Kind.FIELD ? FIELDS.get(fieldName).type : (kind == Kind.EXTRA ? Type.STRING_LIST : kind == Kind.ANNOTATION ? Type.STRING : Type.ANY);
    }

    /** True when the path reads the request or response body, which exists only at Request level or above. */
    public boolean readsBody() {
        return kind == Kind.REQUEST || kind == Kind.RESPONSE;
    }

    /** Every value at this path, arrays flattened; empty when the event lacks it. */
    public List<Object> values(AuditEvent e) {
        switch (kind) {
            case FIELD: {
                Function<AuditEvent, Object> g = getter;
                if (g == null) {
                    g = FIELDS.get(fieldName).getter;
                    getter = g;
                }
                return flatten(g.apply(e));
            }
            case ANNOTATION:
                return e.annotations == null ? List.of() : flatten(e.annotations.get(mapKey));
            case EXTRA:
                return e.userExtra == null ? List.of() : flatten(e.userExtra.get(mapKey));
            case REQUEST:
                return jsonValues(e.requestTree());
            case RESPONSE:
                return jsonValues(e.responseTree());
            case UNKNOWN:
                return List.of();
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** The first value as text, or null: what keys and templates use. */
    public String firstText(AuditEvent e) {
        List<Object> values = values(e);
        return values.isEmpty() ? null : Values.text(values.get(0));
    }

    private static List<Object> flatten(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) value;
            return list;
        }
        return Collections.singletonList(value);
    }

    private List<Object> jsonValues(JsonNode root) {
        if (root == null) {
            return List.of();
        }
        List<JsonNode> current = new ArrayList<>(1);
        current.add(root);
        for (Segment s : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                s.apply(node, next);
            }
            if (next.isEmpty()) {
                return List.of();
            }
            current = next;
        }
        List<Object> out = new ArrayList<>(current.size());
        for (JsonNode node : current) {
            if (node.isArray()) {
                for (JsonNode item : node) {
                    addScalar(item, out);
                }
            } else {
                addScalar(node, out);
            }
        }
        return out;
    }

    private static void addScalar(JsonNode node, List<Object> out) {
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isBoolean()) {
            out.add(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            out.add(node.longValue());
        } else if (node.isNumber()) {
            out.add(node.doubleValue());
        } else if (!node.isNull() && !node.isMissingNode()) {
            out.add(node); // an object or array: present; text operators see its JSON text (keys and values)
        }
    }

    private static List<Segment> parseSegments(String rest) {
        List<Segment> out = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < rest.length() && rest.charAt(j) != '.' && rest.charAt(j) != '[') {
                    j++;
                }
                if (j == i + 1) {
                    throw new IllegalArgumentException("empty path segment in '" + rest + "'");
                }
                out.add(Segment.field(rest.substring(i + 1, j)));
                i = j;
            } else if (c == '[') {
                int close = rest.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in path");
                }
                String inner = rest.substring(i + 1, close).trim();
                if (inner.equals("*")) {
                    out.add(Segment.all());
                } else if (inner.length() >= 2 && (inner.startsWith("\"") && inner.endsWith("\"")
                        || inner.startsWith("'") && inner.endsWith("'"))) {
                    out.add(Segment.field(inner.substring(1, inner.length() - 1)));
                } else {
                    try {
                        out.add(Segment.index(Integer.parseInt(inner)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'[" + inner + "]' must be [*], [N] or [\"key\"]");
                    }
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in path");
            }
        }
        return out;
    }

    /** One step of a JSON path. Field access on an array applies to each element. */
    private static final class Segment implements Serializable {
        private static final long serialVersionUID = 1L;
        final String field;
        final int index; // -1 = all elements, -2 = field access

        private Segment(String field, int index) {
            this.field = field;
            this.index = index;
        }

        static Segment field(String name) {
            return new Segment(name, -2);
        }

        static Segment all() {
            return new Segment(null, -1);
        }

        static Segment index(int i) {
            return new Segment(null, i);
        }

        void apply(JsonNode node, List<JsonNode> out) {
            if (index == -2) {
                if (node.isArray()) {
                    for (JsonNode item : node) {
                        JsonNode v = item.get(field);
                        if (v != null) {
                            out.add(v);
                        }
                    }
                } else {
                    JsonNode v = node.get(field);
                    if (v != null) {
                        out.add(v);
                    }
                }
            } else if (index == -1) {
                if (node.isArray()) {
                    node.forEach(out::add);
                }
            } else if (node.isArray() && index < node.size()) {
                out.add(node.get(index));
            }
        }
    }

    private static final class Field {
        final String name;
        final Type type;
        final String doc;
        final Function<AuditEvent, Object> getter;

        Field(String name, Type type, String doc, Function<AuditEvent, Object> getter) {
            this.name = name;
            this.type = type;
            this.doc = doc;
            this.getter = getter;
        }
    }

    // Java serialization: ship the text, re-parse on arrival (the getters are lambdas).
    private Object writeReplace() {
        return new SerializedForm(text);
    }

    private static final class SerializedForm implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String text;

        SerializedForm(String text) {
            this.text = text;
        }

        private Object readResolve() {
            try {
                return FieldPath.parse(text);
            } catch (IllegalArgumentException e) {
                return FieldPath.unknown(text);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath && ((FieldPath) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
