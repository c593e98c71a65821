package io.chainwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes secret values from request and response objects before anything is written: Secret
 * {@code data}/{@code stringData} (also inside kubectl's last-applied-configuration annotation) and the token
 * of a TokenRequest response. Keys and value lengths are kept so that patterns and analysts still see what
 * was touched; the value itself never leaves the parser.
 */
public final class Redactor {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private Redactor() {}

    public static String marker(int length) {
        return "[REDACTED:" + length + "]";
    }

    /** Redacts in place. {@code object} may be null. */
    public static void redact(String resource, String subresource, JsonNode object) {
        if (object == null || !object.isObject()) {
            return;
        }
        ObjectNode node = (ObjectNode) object;
        String kind = node.path("kind").asText("");
        boolean secretsResource = "secrets".equals(resource) && subresource == null;
        JsonNode items = node.get("items");
        if (items != null && items.isArray()) {
            // SecretList (list/watch responses), or a generic List that may hold Secrets.
            for (JsonNode item : items) {
                if (item.isObject() && (secretsResource || kind.equals("SecretList")
                        || "Secret".equals(item.path("kind").asText()))) {
                    redactSecret((ObjectNode) item);
                }
            }
        } else if (kind.equals("Secret") || secretsResource) {
            redactSecret(node);
        }
        if (kind.equals("TokenReview") || "tokenreviews".equals(resource)) {
            JsonNode spec = node.get("spec");
            if (spec != null && spec.isObject() && spec.get("token") != null) {
                ((ObjectNode) spec).put("token", marker(spec.get("token").asText().length()));
            }
        }
        scrubStrings(node);
        if (kind.equals("TokenRequest") || "token".equals(subresource)) {
            JsonNode status = node.get("status");
            if (status != null && status.isObject() && status.get("token") != null) {
                JsonNode token = status.get("token");
                ((ObjectNode) status).put("token", marker(token.asText().length()));
            }
        }
    }

    /**
     * Bearer tokens can sit anywhere (a pod's env value, a webhook URL, an annotation): replace every string
     * that holds a JWT, and credentials in URL user-info, wherever they are in the object.
     */
    private static void scrubStrings(JsonNode node) {
        if (node.isObject()) {
            ObjectNode obj = (ObjectNode) node;
            List<String> keys = new ArrayList<>();
            obj.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode v = obj.get(k);
                if (v.isTextual()) {
                    String t = clean(v.textValue());
                    if (t != null) {
                        obj.put(k, t);
                    }
                } else if (v.isContainerNode()) {
                    scrubStrings(v);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                if (v.isTextual()) {
                    String t = clean(v.textValue());
                    if (t != null) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, TextNode.valueOf(t));
                    }
                } else if (v.isContainerNode()) {
                    scrubStrings(v);
                }
            }
        }
    }

    /** The cleaned string, or null when nothing needed cleaning. */
    private static String clean(String s) {
        String out = s;
        if (out.contains("eyJ")) {
            out = SecretScrubber.scrub(out);
        }
        int scheme = out.indexOf("://");
        int at = scheme < 0 ? -1 : out.indexOf('@', scheme);
        int slash = scheme < 0 ? -1 : out.indexOf('/', scheme + 3);
        if (at > 0 && (slash < 0 || at < slash)) {
            out = out.substring(0, scheme + 3) + "[REDACTED]@" + out.substring(at + 1);
        }
        return out.equals(s) ? null : out;
    }

    private static void redactSecret(ObjectNode secret) {
        redactValues(secret, "data");
        redactValues(secret, "stringData");
        JsonNode annotations = secret.path("metadata").path("annotations");
        if (annotations.isObject() && annotations.get(LAST_APPLIED) != null) {
            // The annotation is the whole applied object, values included: keep nothing of it but its size.
            String applied = annotations.get(LAST_APPLIED).asText();
            ((ObjectNode) annotations).put(LAST_APPLIED, marker(applied.length()));
        }
    }

    private static void redactValues(ObjectNode secret, String field) {
        JsonNode values = secret.get(field);
        if (values == null || !values.isObject()) {
            return;
        }
        List<String> keys = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = values.fields();
        while (it.hasNext()) {
            keys.add(it.next().getKey());
        }
        ObjectNode obj = (ObjectNode) values;
        for (String key : keys) {
            JsonNode v = obj.get(key);
            obj.set(key, TextNode.valueOf(marker(v.isTextual() ? v.textValue().length() : v.toString().length())));
        }
    }
}
