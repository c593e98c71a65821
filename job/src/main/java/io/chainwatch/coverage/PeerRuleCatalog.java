package io.chainwatch.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainwatch.pattern.LocatedYaml;
import io.chainwatch.pattern.PatternProblem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The catalogue of peer rules: one YAML file per {@link PeerSource} in a directory (the shipped one is
 * {@code cep-patterns/coverage/}). Each file has {@code source}, {@code name}, optional {@code scope} and a
 * list of {@code rules}; the keys a rule may have depend on the source and are checked strictly, so a typo in
 * the catalogue is an error with its {@code file:line:column} rather than a silently missing attribute.
 */
public final class PeerRuleCatalog {

    private static final Set<String> TOP_KEYS = Set.of("source", "name", "scope", "rules");
    private static final Set<String> COMMON_KEYS = Set.of("id", "title", "description");
    private static final Map<PeerSource, Set<String>> SOURCE_KEYS = Map.of(
            PeerSource.DEFENDER, Set.of("status", "style", "severity", "tactics"),
            PeerSource.FALCO, Set.of("priority", "enabled"),
            PeerSource.SIGMA, Set.of(),
            PeerSource.ELASTIC, Set.of("file", "type", "severity"));
    private static final Set<String> DEFENDER_STATUS = Set.of(PeerRule.CURRENT, PeerRule.DEPRECATED, PeerRule.TEST);
    private static final Set<String> DEFENDER_STYLE = Set.of(PeerRule.RULE, PeerRule.BEHAVIOURAL, PeerRule.EXTERNAL);
    private static final Set<String> DEFENDER_SEVERITY = Set.of("informational", "low", "medium", "high");
    private static final Set<String> FALCO_PRIORITY = Set.of("EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING",
            "NOTICE", "INFO", "INFORMATIONAL", "DEBUG");
    private static final Set<String> ELASTIC_TYPE = Set.of("query", "eql", "esql", "new_terms", "threshold",
            "machine_learning", "threat_match");
    private static final Set<String> ELASTIC_SEVERITY = Set.of("low", "medium", "high", "critical");
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Map<PeerSource, String> names;
    private final Map<PeerSource, Map<String, PeerRule>> rules;

    private PeerRuleCatalog(Map<PeerSource, String> names, Map<PeerSource, Map<String, PeerRule>> rules) {
        this.names = names;
        this.rules = rules;
    }

    /** Thrown when a catalogue file is missing or wrong; lists every problem. */
    public static final class CatalogException extends Exception {
        private static final long serialVersionUID = 1L;
        public final transient List<PatternProblem> problems;

        CatalogException(List<PatternProblem> problems) {
            super(problems.stream().map(PatternProblem::toString).collect(Collectors.joining("\n")));
            this.problems = List.copyOf(problems);
        }
    }

    /** Loads {@code defender.yaml}, {@code falco.yaml}, {@code sigma.yaml} and {@code elastic.yaml} from {@code dir}. */
    public static PeerRuleCatalog load(Path dir) throws IOException, CatalogException {
        List<PatternProblem> problems = new ArrayList<>();
        Map<PeerSource, String> names = new EnumMap<>(PeerSource.class);
        Map<PeerSource, Map<String, PeerRule>> rules = new EnumMap<>(PeerSource.class);
        for (PeerSource source : PeerSource.values()) {
            Path f = dir.resolve(source.fileName());
            if (!Files.isRegularFile(f)) {
                problems.add(new PatternProblem(f.toString(), 1, 1, PatternProblem.Level.ERROR,
                        "missing catalogue file for " + source.key));
                continue;
            }
            FileReader reader = new FileReader(f.toString(), source, problems);
            reader.read(Files.readString(f, StandardCharsets.UTF_8));
            names.put(source, reader.name);
            rules.put(source, Collections.unmodifiableMap(reader.rules));
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new PeerRuleCatalog(names, rules);
    }

    /** The catalogue's display name for a source, e.g. "Falco k8saudit rules". */
    public String name(PeerSource source) {
        return names.get(source);
    }

    /** The rules of a source, in catalogue order. */
    public List<PeerRule> rules(PeerSource source) {
        return List.copyOf(rules.get(source).values());
    }

    /** The rule with this id, or null. */
    public PeerRule find(PeerSource source, String id) {
        return rules.get(source).get(id);
    }

    /** Reads and checks one catalogue file. */
    private static final class FileReader {
        final String file;
        final PeerSource source;
        final List<PatternProblem> problems;
        final Map<String, PeerRule> rules = new LinkedHashMap<>();
        final Map<String, Integer> seen = new java.util.HashMap<>();
        String name;
        LocatedYaml doc;

        FileReader(String file, PeerSource source, List<PatternProblem> problems) {
            this.file = file;
            this.source = source;
            this.problems = problems;
        }

        void read(String text) {
            try {
                doc = LocatedYaml.parse(text);
            } catch (LocatedYaml.YamlException e) {
                problems.add(new PatternProblem(file, e.line, e.column, PatternProblem.Level.ERROR, e.getMessage()));
                return;
            }
            JsonNode root = doc.root();
            if (!root.isObject()) {
                error("", "a catalogue file must be a mapping with source, name and rules");
                return;
            }
            checkKeys(root, "", TOP_KEYS);
            String declared = text(root, "", "source", true);
            if (declared != null && !declared.equals(source.key)) {
                error("/source", "source '" + declared + "' does not match the file name (expected '" + source.key + "')");
            }
            name = text(root, "", "name", true);
            text(root, "", "scope", false);
            JsonNode list = root.get("rules");
            if (list == null || !list.isArray() || list.isEmpty()) {
                error(list == null ? "" : "/rules", "'rules' must be a non-empty list");
                return;
            }
            Set<String> allowed = new TreeSet<>(COMMON_KEYS);
            allowed.addAll(SOURCE_KEYS.get(source));
            for (int i = 0; i < list.size(); i++) {
                rule(list.get(i), "/rules/" + i, allowed);
            }
        }

        private void rule(JsonNode r, String ptr, Set<String> allowed) {
            if (!r.isObject()) {
                error(ptr, "a rule must be a mapping with at least 'id'");
                return;
            }
            int before = problems.size();
            checkKeys(r, ptr, allowed);
            String id = text(r, ptr, "id", true);
            String title = text(r, ptr, "title", source == PeerSource.SIGMA || source == PeerSource.DEFENDER);
            String description = text(r, ptr, "description", false);
            String status = null;
            String style = null;
            boolean enabled = true;
            String severity = null;
            String type = null;
            String ruleFile = null;
            List<String> tactics = new ArrayList<>();
            switch (source) {
                case DEFENDER:
                    status = oneOf(r, ptr, "status", DEFENDER_STATUS, true);
                    style = oneOf(r, ptr, "style", DEFENDER_STYLE, true);
                    severity = oneOf(r, ptr, "severity", DEFENDER_SEVERITY, false);
                    tactics = textList(r, ptr, "tactics");
                    break;
                case FALCO:
                    severity = oneOf(r, ptr, "priority", FALCO_PRIORITY, true);
                    JsonNode e = r.get("enabled");
                    if (e == null) {
                        error(ptr, "missing required 'enabled' (true if the rule fires with the shipped lists and macros)");
                    } else if (!e.isBoolean()) {
                        error(ptr + "/enabled", "enabled must be true or false");
                    } else {
                        enabled = e.booleanValue();
                    }
                    break;
                case SIGMA:
                    if (id != null && !UUID.matcher(id).matches()) {
                        error(ptr + "/id", "a Sigma rule id is the rule's lower-case UUID, not '" + id + "'");
                    }
                    break;
                case ELASTIC:
                    type = oneOf(r, ptr, "type", ELASTIC_TYPE, false);
                    severity = oneOf(r, ptr, "severity", ELASTIC_SEVERITY, false);
                    ruleFile = text(r, ptr, "file", false);
                    break;
                default:
                    throw new IllegalStateException(source.toString());
            }
            int line = doc.locate(ptr)[0];
            if (id != null) {
                Integer first = seen.putIfAbsent(id, line);
                if (first != null) {
                    error(ptr + "/id", source.key + " rule '" + id + "' is listed twice (first on line " + first + ")");
                    return;
                }
            }
            if (problems.size() > before || id == null) {
                return;
            }
            rules.put(id, new PeerRule(source, id, title, description, status, style, enabled, severity, type,
                    ruleFile, tactics, line));
        }

        private String text(JsonNode parent, String ptr, String key, boolean required) {
            JsonNode v = parent.get(key);
            if (v == null) {
                if (required) {
                    error(ptr, "missing required '" + key + "'");
                }
                return null;
            }
            if (!v.isTextual() || v.textValue().isBlank()) {
                error(ptr + "/" + key, key + " must be non-empty text");
                return null;
            }
            return v.textValue().strip();
        }

        private String oneOf(JsonNode parent, String ptr, String key, Set<String> values, boolean required) {
            String v = text(parent, ptr, key, required);
            if (v != null && !values.contains(v) && !values.contains(v.toUpperCase(Locale.ROOT))) {
                error(ptr + "/" + key, key + " must be one of " + new TreeSet<>(values) + ", not '" + v + "'");
                return null;
            }
            return v;
        }

        private List<String> textList(JsonNode parent, String ptr, String key) {
            List<String> out = new ArrayList<>();
            JsonNode v = parent.get(key);
            if (v == null) {
                return out;
            }
            if (!v.isArray()) {
                error(ptr + "/" + key, key + " must be a list of text");
                return out;
            }
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    error(ptr + "/" + key + "/" + i, "expected text");
                } else {
                    out.add(v.get(i).textValue());
                }
            }
            return out;
        }

        private void checkKeys(JsonNode node, String ptr, Set<String> allowed) {
            Iterator<String> it = node.fieldNames();
            while (it.hasNext()) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    int[] loc = doc.locateKey(ptr + "/" + k.replace("~", "~0").replace("/", "~1"));
                    problems.add(new PatternProblem(file, loc[0], loc[1], PatternProblem.Level.ERROR,
                            "unknown key '" + k + "' (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
                }
            }
        }

        private void error(String ptr, String message) {
            int[] loc = doc == null ? new int[] {1, 1} : doc.locate(ptr);
            problems.add(new PatternProblem(file, loc[0], loc[1], PatternProblem.Level.ERROR, message));
        }
    }
}
