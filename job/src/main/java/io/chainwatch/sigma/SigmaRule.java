package io.chainwatch.sigma;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One YAML document of a Sigma rule file: a detection rule, a correlation rule (Sigma correlation
 * specification v2) or something else. Sigma files may hold several documents separated by {@code ---}
 * (a correlation and the rules it refers to); each is one {@code SigmaRule}.
 */
public final class SigmaRule {

    /** What a document is. */
    public enum Kind { DETECTION, CORRELATION, FILTER, OTHER }

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().build()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    /** The file the rule came from, as given on the command line (or a name for text input). */
    public final String source;
    /** 0-based position of the document in its file. */
    public final int document;
    /** How many rule documents the file holds. */
    public final int documents;
    /** The document. */
    public final JsonNode node;

    SigmaRule(String source, int document, int documents, JsonNode node) {
        this.source = source;
        this.document = document;
        this.documents = documents;
        this.node = node;
    }

    /** The Sigma files under {@code path}: the file itself, or every {@code .yml}/{@code .yaml} below a directory, sorted. */
    public static List<Path> files(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IOException("no Sigma rule file or directory at " + path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".yml") || n.endsWith(".yaml");
                    })
                    .sorted(Comparator.comparing(Path::toString))
                    .collect(Collectors.toList());
        }
    }

    /** Reads every document of one file; throws when the file cannot be read or is not valid YAML. */
    public static List<SigmaRule> read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads every document of YAML text; {@code source} names it in reports. */
    public static List<SigmaRule> parse(String source, String text) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new IOException("not valid YAML" + (line > 0 ? " (line " + line + ")" : "") + ": "
                    + (msg == null ? "" : msg.split("\n", 2)[0]), e);
        } catch (RuntimeException e) {
            throw new IOException("not valid YAML: " + e.getMessage(), e);
        }
        List<SigmaRule> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            out.add(new SigmaRule(source, i, docs.size(), docs.get(i)));
        }
        return out;
    }

    public Kind kind() {
        if (!node.isObject()) {
            return Kind.OTHER;
        }
        if (node.has("correlation")) {
            return Kind.CORRELATION;
        }
        if (node.has("filter")) {
            return Kind.FILTER;
        }
        if (node.has("detection")) {
            return Kind.DETECTION;
        }
        return Kind.OTHER;
    }

    /** Where the rule is: the file, plus {@code #n} (1-based) when the file holds several documents. */
    public String location() {
        return documents > 1 ? source + "#" + (document + 1) : source;
    }

    public String title() {
        return text("title");
    }

    public String id() {
        return text("id");
    }

    /** The optional {@code name} by which correlation rules refer to a rule. */
    public String name() {
        return text("name");
    }

    /** "Title (id)" or what of it exists, for report lines. */
    public String label() {
        String t = title();
        String id = id();
        if (t == null && id == null) {
            return "(untitled)";
        }
        if (t == null) {
            return id;
        }
        return id == null ? t : t + " (" + id + ")";
    }

    /** A top-level text attribute, or null. Numbers and booleans are returned as text. */
    public String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /** A top-level attribute that is a list of text (a single text value is a list of one). */
    public List<String> list(String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (item.isValueNode() && !item.isNull() && !item.asText().isBlank()) {
                    out.add(item.asText().strip());
                }
            }
        } else if (v.isValueNode() && !v.asText().isBlank()) {
            out.add(v.asText().strip());
        }
        return out;
    }

    /** {@code logsource.<field>}, lower-cased, or null. */
    public String logsource(String field) {
        JsonNode ls = node.get("logsource");
        if (ls == null || !ls.isObject()) {
            return null;
        }
        JsonNode v = ls.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText().strip().toLowerCase(Locale.ROOT);
    }

    /** True for {@code logsource: {product: kubernetes, service: audit}}. */
    public boolean isKubernetesAudit() {
        return "kubernetes".equals(logsource("product")) && "audit".equals(logsource("service"));
    }

    /** The logsource as written, for reasons: "product: windows, category: process_creation". */
    public String describeLogsource() {
        JsonNode ls = node.get("logsource");
        if (ls == null || !ls.isObject() || ls.isEmpty()) {
            return "none given";
        }
        List<String> parts = new ArrayList<>();
        ls.fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + e.getValue().asText()));
        return String.join(", ", parts);
    }

    /** The detection section, or null. */
    public ObjectNode detection() {
        JsonNode d = node.get("detection");
        return d instanceof ObjectNode ? (ObjectNode) d : null;
    }

    /** The correlation section, or null. */
    public ObjectNode correlation() {
        JsonNode c = node.get("correlation");
        return c instanceof ObjectNode ? (ObjectNode) c : null;
    }

    @Override
    public String toString() {
        return location() + ": " + label();
    }
}
