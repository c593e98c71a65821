package io.chainwatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.pattern.Condition;
import io.chainwatch.pattern.Durations;
import io.chainwatch.pattern.FieldPath;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pattern.PatternProblem;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Converts SigmaHQ Kubernetes audit rules ({@code logsource: {product: kubernetes, service: audit}}) into
 * chainwatch pattern files: detection rules become single-event patterns, {@code temporal_ordered}
 * correlations become sequences, {@code event_count}/{@code value_count} correlations become the
 * {@code aggregate} form. Each input rule yields one {@link Result}: converted (with its YAML), not converted
 * (with the reason), or skipped (a rule that only serves a correlation).
 */
public final class SigmaConverter {

    /** What became of one input rule. */
    public static final class Result {
        public enum Status { CONVERTED, NOT_CONVERTED, SKIPPED }

        public final SigmaRule rule;
        public final Status status;
        /** Why it was not converted or skipped; null when converted. */
        public final String reason;
        /** The chainwatch id (and file name without .yaml) of a converted rule. */
        public final String patternId;
        /** single-event, sequence or aggregate. */
        public final String form;
        /** The pattern file text. */
        public final String yaml;
        /** The pattern as a tree (the same content as {@link #yaml}). */
        public final ObjectNode pattern;
        /** Why the pattern has no generated tests; null when it has them. */
        public final String testsOmitted;
        /** A one-line description of the produced condition. */
        public final String summary;

        private Result(SigmaRule rule, Status status, String reason, String patternId, String form, String yaml,
                ObjectNode pattern, String testsOmitted, String summary) {
            this.rule = rule;
            this.status = status;
            this.reason = reason;
            this.patternId = patternId;
            this.form = form;
            this.yaml = yaml;
            this.pattern = pattern;
            this.testsOmitted = testsOmitted;
            this.summary = summary;
        }

        static Result failed(SigmaRule rule, String reason) {
            return new Result(rule, Status.NOT_CONVERTED, reason, null, null, null, null, null, null);
        }

        static Result skipped(SigmaRule rule, String reason) {
            return new Result(rule, Status.SKIPPED, reason, null, null, null, null, null, null);
        }

        public boolean converted() {
            return status == Status.CONVERTED;
        }
    }

    private static final Set<String> CORRELATION_TYPES = Set.of("event_count", "value_count", "temporal", "temporal_ordered");
    private static final Pattern TECHNIQUE_TAG = Pattern.compile("attack\\.(t\\d{4}(?:\\.\\d{3})?)");
    private static final Pattern OTHER_ATTACK_ID = Pattern.compile("attack\\.[gsmda]\\d{4}");
    private static final Pattern TACTIC_TAG = Pattern.compile("attack\\.([a-z][a-z_-]*)");
    private static final Pattern TIMESPAN = Pattern.compile("(\\d+)\\s*([smhdwMy])");
    private static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");

    private final List<SigmaRule> rules;
    private final Map<String, SigmaRule> byRef = new HashMap<>();
    private final Set<String> usedIds = new HashSet<>();

    private SigmaConverter(List<SigmaRule> rules) {
        this.rules = rules;
        for (SigmaRule r : rules) {
            if (r.id() != null) {
                byRef.putIfAbsent(r.id(), r);
            }
        }
        for (SigmaRule r : rules) {
            if (r.name() != null) {
                byRef.putIfAbsent(r.name(), r);
            }
        }
    }

    /** Converts every rule; correlation rules may refer to any other rule of the list (by id or name). */
    public static List<Result> convert(List<SigmaRule> rules) {
        return new SigmaConverter(rules).run();
    }

    private List<Result> run() {
        // Rules that a correlation uses, and whether they are also wanted on their own (generate: true).
        Map<SigmaRule, String> onlyForCorrelation = new LinkedHashMap<>();
        Set<SigmaRule> generated = new HashSet<>();
        for (SigmaRule r : rules) {
            if (r.kind() != SigmaRule.Kind.CORRELATION) {
                continue;
            }
            boolean generate = bool(r.node.get("generate")) || bool(r.correlation().get("generate"));
            for (String ref : refs(r.correlation())) {
                SigmaRule base = byRef.get(ref);
                if (base == null || base == r) {
                    continue;
                }
                if (generate) {
                    generated.add(base);
                } else {
                    onlyForCorrelation.putIfAbsent(base, r.title() != null ? r.title() : r.id());
                }
            }
        }
        generated.forEach(onlyForCorrelation::remove);
        List<Result> out = new ArrayList<>();
        for (SigmaRule r : rules) {
            Result res;
            try {
                switch (r.kind()) {
                    case DETECTION:
                        if (onlyForCorrelation.containsKey(r)) {
                            res = Result.skipped(r, "used by correlation '" + onlyForCorrelation.get(r)
                                    + "' only (generate: false): not written on its own");
                        } else {
                            res = detectionRule(r);
                        }
                        break;
                    case CORRELATION:
                        res = correlationRule(r);
                        break;
                    case FILTER:
                        res = Result.failed(r, "Sigma filters (meta filter rules) are not supported: add the exclusion"
                                + " to the converted pattern as a 'none' condition");
                        break;
                    default:
                        res = Result.failed(r, "not a Sigma rule (no detection or correlation section)");
                }
            } catch (SigmaConversionException e) {
                res = Result.failed(r, e.getMessage());
            }
            out.add(res);
        }
        return out;
    }

    // --- detection rules → single-event patterns

    private Result detectionRule(SigmaRule r) throws SigmaConversionException {
        ObjectNode where = baseCondition(r);
        Condition compiled = SigmaYaml.compile(where);
        String id = newId(r);
        ObjectNode tree = metadata(r, id, List.of(r));
        requires(tree, where);
        tree.set("where", where);
        SigmaTestGenerator.Tests tests = SigmaTestGenerator.single(where);
        return finish(r, id, "single-event", tree, tests, compiled.describe(), true);
    }

    /** The condition of a detection rule, refusing rules for other log sources. */
    private static ObjectNode baseCondition(SigmaRule r) throws SigmaConversionException {
        if (!r.isKubernetesAudit()) {
            throw new SigmaConversionException("logsource is not kubernetes/audit (" + r.describeLogsource() + ")");
        }
        ObjectNode detection = r.detection();
        if (detection == null) {
            throw new SigmaConversionException("the rule has no detection section");
        }
        return SigmaDetection.convert(detection);
    }

    // --- correlation rules → sequences and aggregations

    private Result correlationRule(SigmaRule r) throws SigmaConversionException {
        ObjectNode corr = r.correlation();
        String type = textOf(corr.get("type"));
        if (type == null) {
            throw new SigmaConversionException("the correlation has no type");
        }
        if (!CORRELATION_TYPES.contains(type)) {
            throw new SigmaConversionException("correlation type '" + type + "' is not supported (chainwatch converts"
                    + " event_count, value_count and temporal_ordered)");
        }
        if (type.equals("temporal")) {
            throw new SigmaConversionException("correlation type 'temporal' is unordered: chainwatch sequences are"
                    + " ordered, and an unordered temporal correlation would need one sequence per permutation of its rules");
        }
        List<String> refs = refs(corr);
        if (refs.isEmpty()) {
            throw new SigmaConversionException("the correlation refers to no rules");
        }
        List<SigmaRule> bases = new ArrayList<>();
        List<ObjectNode> wheres = new ArrayList<>();
        for (String ref : refs) {
            SigmaRule base = byRef.get(ref);
            if (base == null) {
                throw new SigmaConversionException("the correlation refers to rule '" + ref + "', which is not among the input rules");
            }
            if (base.kind() == SigmaRule.Kind.CORRELATION) {
                throw new SigmaConversionException("the correlation refers to correlation '" + ref
                        + "': chained correlations are not supported");
            }
            if (base.kind() != SigmaRule.Kind.DETECTION) {
                throw new SigmaConversionException("the correlation refers to '" + ref + "', which is not a detection rule");
            }
            try {
                wheres.add(baseCondition(base));
            } catch (SigmaConversionException e) {
                throw new SigmaConversionException("referenced rule '" + ref + "': " + e.getMessage());
            }
            bases.add(base);
        }
        Duration window = timespan(corr.get("timespan"));
        List<String> groupBy = textList(corr.get("group-by"));
        JsonNode aliases = corr.get("aliases");
        if (type.equals("temporal_ordered")) {
            return sequence(r, corr, refs, bases, wheres, groupBy, aliases, window);
        }
        return aggregate(r, corr, type, bases, wheres, groupBy, aliases, window);
    }

    private Result sequence(SigmaRule r, ObjectNode corr, List<String> refs, List<SigmaRule> bases, List<ObjectNode> wheres,
            List<String> groupBy, JsonNode aliases, Duration within) throws SigmaConversionException {
        JsonNode condition = corr.get("condition");
        if (condition != null && !condition.isNull() && !requiresAll(condition, refs.size())) {
            throw new SigmaConversionException("correlation type 'temporal_ordered' with condition " + condition
                    + " counts fewer than all " + refs.size() + " rules; a chainwatch sequence needs every step");
        }
        if (groupBy.isEmpty()) {
            throw new SigmaConversionException("correlation type 'temporal_ordered' without group-by: chainwatch sequences"
                    + " need a correlation key (the events of one match must share it)");
        }
        if (within.compareTo(io.chainwatch.pattern.Limits.DEFAULT.maxWindow) > 0) {
            throw new SigmaConversionException("timespan " + Durations.format(within) + " exceeds chainwatch's maximum sequence window of "
                    + Durations.format(io.chainwatch.pattern.Limits.DEFAULT.maxWindow));
        }
        // Per step: key name → field path (aliases give each rule its own field).
        List<Map<String, String>> stepKeys = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            Map<String, String> k = new LinkedHashMap<>();
            for (String g : groupBy) {
                String path = groupField(g, aliases, bases.get(i), refs.get(i));
                k.put(uniqueKeyName(k.keySet(), aliasOrField(g, aliases, path)), path);
            }
            stepKeys.add(k);
        }
        String id = newId(r);
        ObjectNode tree = metadata(r, id, bases);
        ObjectNode all = SigmaDetection.JSON.objectNode();
        for (ObjectNode w : wheres) {
            all.set("s" + all.size(), w);
        }
        requires(tree, all);
        ObjectNode key = tree.putObject("key");
        stepKeys.get(0).forEach(key::put);
        tree.put("within", Durations.format(within));
        ArrayNode steps = tree.putArray("steps");
        Set<String> stepNames = new HashSet<>();
        List<String> described = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            ObjectNode step = steps.addObject();
            String name = stepName(bases.get(i), refs.get(i), stepNames);
            step.put("name", name);
            if (!stepKeys.get(i).equals(stepKeys.get(0))) {
                ObjectNode sk = step.putObject("key");
                stepKeys.get(i).forEach(sk::put);
            }
            step.set("where", wheres.get(i));
            described.add(name + ": " + SigmaYaml.compile(wheres.get(i)).describe());
        }
        SigmaTestGenerator.Tests tests = SigmaTestGenerator.sequence(wheres, stepKeys, within);
        String summary = "sequence within " + Durations.format(within) + " by " + String.join(", ", stepKeys.get(0).values())
                + ": " + String.join(" → ", described);
        return finish(r, id, "sequence", tree, tests, summary, true);
    }

    private Result aggregate(SigmaRule r, ObjectNode corr, String type, List<SigmaRule> bases, List<ObjectNode> wheres,
            List<String> groupBy, JsonNode aliases, Duration window) throws SigmaConversionException {
        if (aliases != null && !aliases.isNull() && !aliases.isEmpty()) {
            throw new SigmaConversionException("correlation type '" + type + "' with aliases: the aggregation form has"
                    + " one key for all events, not one per referenced rule");
        }
        JsonNode condition = corr.get("condition");
        if (condition == null || !condition.isObject() || condition.isEmpty()) {
            throw new SigmaConversionException("correlation type '" + type + "' needs a condition such as {gte: 5}");
        }
        ObjectNode threshold = SigmaDetection.JSON.objectNode();
        String distinctField = null;
        Iterator<Map.Entry<String, JsonNode>> it = condition.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String op = e.getKey();
            JsonNode v = e.getValue();
            if (op.equals("field")) {
                if (!type.equals("value_count")) {
                    throw new SigmaConversionException("condition 'field' only applies to value_count");
                }
                List<String> paths = SigmaFields.map(v.asText());
                if (paths.size() != 1) {
                    throw new SigmaConversionException("value_count field '" + v.asText() + "' stands for several chainwatch fields");
                }
                distinctField = paths.get(0);
                continue;
            }
            if (!v.canConvertToLong()) {
                throw new SigmaConversionException("correlation condition " + op + " needs a whole number, found " + v);
            }
            switch (op) {
                case "gt":
                case "gte":
                case "lt":
                case "lte":
                    threshold.put(op, v.asLong());
                    break;
                case "eq":
                    threshold.put("gte", v.asLong());
                    threshold.put("lte", v.asLong());
                    break;
                default:
                    throw new SigmaConversionException("correlation condition operator '" + op + "' is not supported (gt, gte, lt, lte, eq)");
            }
        }
        if (threshold.isEmpty()) {
            throw new SigmaConversionException("correlation type '" + type + "' has no count in its condition (e.g. gte: 5)");
        }
        if (type.equals("value_count") && distinctField == null) {
            throw new SigmaConversionException("correlation type 'value_count' needs condition.field (the field whose distinct values are counted)");
        }
        Map<String, String> key = new LinkedHashMap<>();
        for (String g : groupBy) {
            List<String> paths = SigmaFields.map(g);
            if (paths.size() != 1) {
                throw new SigmaConversionException("group-by field '" + g + "' stands for several chainwatch fields");
            }
            key.put(uniqueKeyName(key.keySet(), SigmaFields.keyName(paths.get(0))), paths.get(0));
        }
        ObjectNode where = SigmaDetection.or(new ArrayList<>(wheres));
        Condition compiled = SigmaYaml.compile(where);
        String id = newId(r);
        ObjectNode tree = metadata(r, id, bases);
        requires(tree, where);
        if (!key.isEmpty()) {
            ObjectNode k = tree.putObject("key");
            key.forEach(k::put);
        }
        ObjectNode agg = tree.putObject("aggregate");
        agg.set("where", where);
        agg.put("window", Durations.format(window));
        String countText;
        if (distinctField == null) {
            agg.set("count", threshold);
            countText = "count of events " + thresholdText(threshold);
        } else {
            ObjectNode d = agg.putObject("distinct");
            d.put("field", distinctField);
            d.setAll(threshold);
            countText = "distinct " + distinctField + " " + thresholdText(threshold);
        }
        SigmaTestGenerator.Tests tests;
        long n = threshold.has("gte") ? threshold.get("gte").asLong() : threshold.has("gt") ? threshold.get("gt").asLong() + 1 : -1;
        if (n < 0) {
            tests = SigmaTestGenerator.Tests.none("the condition fires below a threshold (" + thresholdText(threshold)
                    + "), which depends on when the window closes");
        } else {
            tests = SigmaTestGenerator.aggregate(where, key, window, n, distinctField);
        }
        String summary = "aggregate " + countText + " within " + Durations.format(window)
                + (key.isEmpty() ? " (per cluster)" : " per " + String.join(", ", key.values())) + " of: " + compiled.describe();
        return finish(r, id, "aggregate", tree, tests, summary, false);
    }

    private static String thresholdText(ObjectNode t) {
        List<String> parts = new ArrayList<>();
        t.fields().forEachRemaining(e -> parts.add(Map.of("gt", ">", "gte", ">=", "lt", "<", "lte", "<=")
                .get(e.getKey()) + " " + e.getValue().asText()));
        return String.join(" and ", parts);
    }

    /** True when a temporal condition demands every one of the n rules. */
    private static boolean requiresAll(JsonNode condition, int n) {
        if (!condition.isObject() || condition.size() != 1) {
            return false;
        }
        Map.Entry<String, JsonNode> e = condition.fields().next();
        long v = e.getValue().asLong(-1);
        switch (e.getKey()) {
            case "gte":
            case "eq":
                return v == n;
            case "gt":
                return v == n - 1;
            default:
                return false;
        }
    }

    private static String groupField(String g, JsonNode aliases, SigmaRule base, String ref) throws SigmaConversionException {
        String sigmaField = g;
        if (aliases != null && aliases.isObject() && aliases.has(g)) {
            JsonNode perRule = aliases.get(g);
            JsonNode f = null;
            for (String name : new String[] {base.name(), base.id(), ref}) {
                if (name != null && perRule.has(name)) {
                    f = perRule.get(name);
                    break;
                }
            }
            if (f == null || !f.isTextual()) {
                throw new SigmaConversionException("alias '" + g + "' names no field for rule '" + ref + "'");
            }
            sigmaField = f.textValue();
        }
        List<String> paths = SigmaFields.map(sigmaField);
        if (paths.size() != 1) {
            throw new SigmaConversionException("group-by field '" + sigmaField + "' stands for several chainwatch fields");
        }
        return paths.get(0);
    }

    private static String aliasOrField(String g, JsonNode aliases, String path) {
        if (aliases != null && aliases.isObject() && aliases.has(g)) {
            String n = g.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            return n.isEmpty() || !Character.isLetter(n.charAt(0)) ? "k_" + n : n;
        }
        return SigmaFields.keyName(path);
    }

    private static String uniqueKeyName(Set<String> taken, String name) {
        String n = name;
        for (int i = 2; taken.contains(n); i++) {
            n = name + "_" + i;
        }
        return n;
    }

    private static String stepName(SigmaRule base, String ref, Set<String> taken) {
        String raw = base.name() != null ? base.name() : base.title() != null ? base.title() : ref;
        String n = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (n.length() > 40) {
            n = n.substring(0, 40).replaceAll("_+$", "");
        }
        if (n.isEmpty() || !Character.isLetter(n.charAt(0))) {
            n = "step_" + n;
        }
        String unique = n;
        for (int i = 2; !taken.add(unique); i++) {
            unique = n + "_" + i;
        }
        return unique;
    }

    private static Duration timespan(JsonNode v) throws SigmaConversionException {
        String s = textOf(v);
        if (s == null) {
            throw new SigmaConversionException("the correlation has no timespan");
        }
        Matcher m = TIMESPAN.matcher(s.strip());
        if (!m.matches()) {
            throw new SigmaConversionException("timespan '" + s + "' is not a Sigma timespan (e.g. 30s, 10m, 1h, 2d)");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            case "d": return Duration.ofDays(n);
            case "w": return Duration.ofDays(7 * n);
            default:
                throw new SigmaConversionException("timespan '" + s + "' (months or years) is longer than chainwatch keeps state");
        }
    }

    private static List<String> refs(ObjectNode corr) {
        return textList(corr.get("rules"));
    }

    // --- metadata and output

    private String newId(SigmaRule r) {
        String slug = slug(r.title() != null ? r.title() : r.id() != null ? r.id() : "rule");
        String id = "sigma-" + slug;
        if (!usedIds.add(id)) {
            String uuid = r.id() == null ? "" : r.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            String candidate = uuid.length() >= 8 ? id + "-" + uuid.substring(0, 8) : id + "-2";
            for (int i = 2; !usedIds.add(candidate); i++) {
                candidate = id + "-" + (i + 1);
            }
            id = candidate;
        }
        return id;
    }

    /** Lower-case, [a-z0-9-], at most 64 characters cut at a word boundary. */
    static String slug(String title) {
        String s = java.text.Normalizer.normalize(title, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 64) {
            s = s.substring(0, 64);
            int dash = s.lastIndexOf('-');
            if (dash > 32) {
                s = s.substring(0, dash);
            }
            s = s.replaceAll("-+$", "");
        }
        return s.isEmpty() ? "rule" : s;
    }

    private ObjectNode metadata(SigmaRule r, String id, List<SigmaRule> bases) {
        ObjectNode t = SigmaDetection.JSON.objectNode();
        t.put("id", id);
        t.put("title", r.title() != null ? r.title() : id);
        if (r.text("description") != null) {
            t.put("description", r.text("description"));
        }
        t.put("severity", severity(r, bases));
        String status = status(r.text("status"));
        if (status != null) {
            t.put("status", status);
        }
        Set<String> tactics = new LinkedHashSet<>();
        Set<String> techniques = new LinkedHashSet<>();
        List<SigmaRule> tagged = new ArrayList<>();
        tagged.add(r);
        bases.stream().filter(b -> b != r).forEach(tagged::add);
        for (SigmaRule s : tagged) {
            for (String tag : s.list("tags")) {
                String lower = tag.toLowerCase(Locale.ROOT);
                Matcher m = TECHNIQUE_TAG.matcher(lower);
                if (m.matches()) {
                    techniques.add(m.group(1).toUpperCase(Locale.ROOT));
                } else if (!OTHER_ATTACK_ID.matcher(lower).matches()) {
                    Matcher tm = TACTIC_TAG.matcher(lower);
                    if (tm.matches()) {
                        tactics.add(tm.group(1).replace('_', '-'));
                    }
                }
            }
        }
        putList(t, "tactics", new ArrayList<>(tactics));
        putList(t, "techniques", new ArrayList<>(techniques));
        putList(t, "references", r.list("references"));
        putList(t, "falsePositives", r.list("falsepositives"));
        if (r.text("author") != null) {
            t.put("author", r.text("author"));
        }
        if (r.id() != null) {
            t.putObject("equivalents").putArray("sigma").add(r.id());
        }
        return t;
    }

    private static String severity(SigmaRule r, List<SigmaRule> bases) {
        String own = level(r.text("level"));
        if (own != null) {
            return own;
        }
        int best = -1;
        for (SigmaRule b : bases) {
            String l = level(b.text("level"));
            if (l != null) {
                best = Math.max(best, SEVERITIES.indexOf(l));
            }
        }
        return best >= 0 ? SEVERITIES.get(best) : "medium";
    }

    private static String level(String sigma) {
        if (sigma == null) {
            return null;
        }
        String l = sigma.toLowerCase(Locale.ROOT);
        return l.equals("informational") ? "info" : SEVERITIES.contains(l) ? l : null;
    }

    static String status(String sigma) {
        if (sigma == null) {
            return null;
        }
        switch (sigma.toLowerCase(Locale.ROOT)) {
            case "stable":
                return "stable";
            case "deprecated":
                return "deprecated";
            default: // test, experimental, unsupported
                return "experimental";
        }
    }

    private static void putList(ObjectNode t, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = t.putArray(key);
            values.forEach(a::add);
        }
    }

    /** Declares the audit level the conditions need, as the shipped patterns do. */
    private static void requires(ObjectNode tree, JsonNode condition) {
        Set<String> roots = new HashSet<>();
        collectRoots(condition, roots);
        String level = roots.contains("responseObject") ? "RequestResponse" : roots.contains("requestObject") ? "Request" : null;
        if (level != null) {
            tree.putObject("requires").put("auditLevel", level);
        }
    }

    private static void collectRoots(JsonNode n, Set<String> roots) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("requestObject")) {
                    roots.add("requestObject");
                } else if (e.getKey().startsWith("responseObject")) {
                    roots.add("responseObject");
                }
                collectRoots(e.getValue(), roots);
            });
        } else if (n.isArray()) {
            n.forEach(x -> collectRoots(x, roots));
        }
    }

    private Result finish(SigmaRule r, String id, String form, ObjectNode tree, SigmaTestGenerator.Tests tests,
            String summary, boolean loadable) throws SigmaConversionException {
        if (tests.tests != null) {
            tree.set("tests", tests.tests);
        }
        String yaml = header(r) + SigmaYaml.write(tree);
        if (loadable) {
            PatternLoader.Result check = PatternLoader.loadText(id + ".yaml", yaml);
            if (check.hasErrors()) {
                throw new SigmaConversionException("chainwatch rejects the converted pattern: " + check.problems.stream()
                        .filter(PatternProblem::isError).map(p -> p.message).collect(Collectors.joining("; ")));
            }
        } else {
            checkAggregate(tree);
        }
        return new Result(r, Result.Status.CONVERTED, null, id, form, yaml, tree, tests.omitted, summary);
    }

    /** What can be checked of the aggregation form before the loader knows it: fields, window, where. */
    private static void checkAggregate(ObjectNode tree) throws SigmaConversionException {
        JsonNode key = tree.get("key");
        if (key != null) {
            for (JsonNode p : key) {
                FieldPath.parse(p.asText());
            }
        }
        ObjectNode agg = (ObjectNode) tree.get("aggregate");
        Durations.parse(agg.get("window").asText());
        if (agg.has("distinct")) {
            FieldPath.parse(agg.get("distinct").get("field").asText());
        }
        SigmaYaml.compile((ObjectNode) agg.get("where"));
    }

    private static String header(SigmaRule r) {
        String file = Paths.get(r.source).getFileName().toString();
        return "# Converted from Sigma rule " + (r.id() != null ? r.id() + " " : "") + "(" + file
                + ") by chainwatch patterns import-sigma.\n";
    }

    // --- small helpers

    private static boolean bool(JsonNode n) {
        return n != null && (n.isBoolean() ? n.booleanValue() : "true".equalsIgnoreCase(n.asText()));
    }

    private static String textOf(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() || n.asText().isBlank() ? null : n.asText().strip();
    }

    private static List<String> textList(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(x -> {
                if (x.isValueNode() && !x.asText().isBlank()) {
                    out.add(x.asText().strip());
                }
            });
        } else if (n.isValueNode() && !n.asText().isBlank()) {
            out.add(n.asText().strip());
        }
        return out;
    }
}
