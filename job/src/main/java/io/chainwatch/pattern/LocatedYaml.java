package io.chainwatch.pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree that remembers where every node and key came from, so that
 * pattern errors can say {@code file:line:column}. Duplicate keys are errors, not silent overwrites.
 */
public final class LocatedYaml {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final JsonNode root;
    private final Map<String, int[]> valueLocations;
    private final Map<String, int[]> keyLocations;

    private LocatedYaml(JsonNode root, Map<String, int[]> valueLocations, Map<String, int[]> keyLocations) {
        this.root = root;
        this.valueLocations = valueLocations;
        this.keyLocations = keyLocations;
    }

    /** Reads one YAML document; a syntax error or duplicate key throws {@link YamlException} with its location. */
    public static LocatedYaml parse(String text) throws YamlException {
        Map<String, int[]> values = new HashMap<>();
        Map<String, int[]> keys = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new YamlException("empty document", 1, 1);
            }
            JsonNode root = read(p, JsonPointer.empty(), values, keys);
            return new LocatedYaml(root, values, keys);
        } catch (YamlException e) {
            throw e;
        } catch (IOException e) {
            JsonLocation loc = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation() : null;
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage() : e.getMessage();
            throw new YamlException("YAML syntax: " + firstLine(msg),
                    loc == null ? 1 : Math.max(1, loc.getLineNr()), loc == null ? 1 : Math.max(1, loc.getColumnNr()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static JsonNode read(JsonParser p, JsonPointer ptr, Map<String, int[]> values, Map<String, int[]> keys)
            throws IOException, YamlException {
        JsonLocation loc = p.currentTokenLocation();
        values.put(ptr.toString(), new int[] {loc.getLineNr(), loc.getColumnNr()});
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT: {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonLocation keyLoc = p.currentTokenLocation();
                    JsonPointer child = ptr.appendProperty(name);
                    if (o.has(name)) {
                        throw new YamlException("duplicate key '" + name + "'", keyLoc.getLineNr(), keyLoc.getColumnNr());
                    }
                    keys.put(child.toString(), new int[] {keyLoc.getLineNr(), keyLoc.getColumnNr()});
                    p.nextToken();
                    o.set(name, read(p, child, values, keys));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(p, ptr.appendIndex(i++), values, keys));
                }
                return a;
            }
            case VALUE_STRING:
                return f.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return f.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return f.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return f.booleanNode(true);
            case VALUE_FALSE:
                return f.booleanNode(false);
            case VALUE_NULL:
                return f.nullNode();
            default:
                throw new YamlException("unsupported YAML construct " + p.currentToken(), loc.getLineNr(), loc.getColumnNr());
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Line and column of the value at {@code pointer} (JSON Pointer syntax), or of the nearest ancestor. */
    public int[] locate(String pointer) {
        String p = pointer;
        while (true) {
            int[] loc = valueLocations.get(p);
            if (loc != null) {
                return loc;
            }
            if (p.isEmpty()) {
                return new int[] {1, 1};
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Line and column of the key that holds the value at {@code pointer}, falling back to the value. */
    public int[] locateKey(String pointer) {
        int[] loc = keyLocations.get(pointer);
        return loc != null ? loc : locate(pointer);
    }

    /** A YAML syntax problem with its position. */
    public static final class YamlException extends Exception {
        private static final long serialVersionUID = 1L;
        public final int line;
        public final int column;

        YamlException(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }
}
