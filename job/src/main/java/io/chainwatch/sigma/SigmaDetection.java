package io.chainwatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.pattern.FieldPath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code detection} section of a Sigma rule into a chainwatch {@code where} condition (a Jackson
 * tree in the shape pattern files use): selections become field mappings, lists of maps become {@code any},
 * and the condition expression becomes {@code all}/{@code any}/{@code none}/{@code not} groups.
 *
 * <p>Sigma matches strings case-insensitively unless {@code |cased} is given; chainwatch conditions get
 * {@code ignoreCase: true} for that, except on fields whose values Kubernetes always writes in lower case
 * (verb, resource, API group, namespace), where the lower-cased value is matched exactly.
 */
final class SigmaDetection {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final Set<String> ENCODINGS = Set.of("base64", "base64offset", "utf16le", "utf16be", "utf16",
            "wide", "windash");
    private static final Set<String> TIME_PARTS = Set.of("minute", "hour", "day", "week", "month", "year");
    private static final Set<String> MATCHERS = Set.of("contains", "startswith", "endswith", "re", "cidr", "exists",
            "gt", "gte", "lt", "lte");
    private static final Set<String> RE_FLAGS = Set.of("i", "m", "s");

    private final Map<String, JsonNode> selections = new LinkedHashMap<>();
    private final Map<String, ObjectNode> converted = new HashMap<>();

    private SigmaDetection(ObjectNode detection) {
        detection.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("condition") && !e.getKey().equals("timeframe")) {
                selections.put(e.getKey(), e.getValue());
            }
        });
    }

    /** The chainwatch condition equivalent to a Sigma detection section. */
    static ObjectNode convert(ObjectNode detection) throws SigmaConversionException {
        SigmaDetection d = new SigmaDetection(detection);
        JsonNode condition = detection.get("condition");
        if (condition == null || condition.isNull()) {
            throw new SigmaConversionException("the detection has no condition");
        }
        SigmaConditionParser.Node ast;
        if (condition.isArray()) {
            // A list of conditions: the rule matches when any of them does.
            List<SigmaConditionParser.Node> alternatives = new ArrayList<>();
            for (JsonNode c : condition) {
                alternatives.add(SigmaConditionParser.parse(c.asText()));
            }
            if (alternatives.isEmpty()) {
                throw new SigmaConversionException("the detection has an empty condition list");
            }
            ast = alternatives.size() == 1 ? alternatives.get(0) : new SigmaConditionParser.Or(alternatives);
        } else if (condition.isTextual()) {
            ast = SigmaConditionParser.parse(condition.textValue());
        } else {
            throw new SigmaConversionException("the detection's condition must be text");
        }
        return d.node(ast);
    }

    private ObjectNode node(SigmaConditionParser.Node n) throws SigmaConversionException {
        if (n instanceof SigmaConditionParser.Ref) {
            return selection(((SigmaConditionParser.Ref) n).name);
        }
        if (n instanceof SigmaConditionParser.And) {
            List<ObjectNode> parts = new ArrayList<>();
            for (SigmaConditionParser.Node o : ((SigmaConditionParser.And) n).operands) {
                parts.add(node(o));
            }
            return and(parts);
        }
        if (n instanceof SigmaConditionParser.Or) {
            List<ObjectNode> parts = new ArrayList<>();
            for (SigmaConditionParser.Node o : ((SigmaConditionParser.Or) n).operands) {
                parts.add(node(o));
            }
            return or(parts);
        }
        if (n instanceof SigmaConditionParser.Not) {
            return not(node(((SigmaConditionParser.Not) n).operand));
        }
        SigmaConditionParser.Quantified q = (SigmaConditionParser.Quantified) n;
        List<String> names = q.select(selections.keySet());
        if (names.isEmpty()) {
            throw new SigmaConversionException("condition '" + q + "' matches no search identifier of the detection");
        }
        List<ObjectNode> parts = new ArrayList<>();
        for (String name : names) {
            parts.add(selection(name));
        }
        return q.all ? and(parts) : or(parts);
    }

    private ObjectNode selection(String name) throws SigmaConversionException {
        ObjectNode done = converted.get(name);
        if (done != null) {
            return done.deepCopy();
        }
        JsonNode v = selections.get(name);
        if (v == null) {
            throw new SigmaConversionException("condition refers to '" + name + "', which the detection does not define");
        }
        ObjectNode out;
        if (v.isObject()) {
            out = map(name, v);
        } else if (v.isArray() && v.size() > 0 && allObjects(v)) {
            List<ObjectNode> alternatives = new ArrayList<>();
            for (JsonNode item : v) {
                alternatives.add(map(name, item));
            }
            out = or(alternatives);
        } else if (v.isArray() || v.isValueNode()) {
            throw new SigmaConversionException("selection '" + name + "' is a keyword search (values without a field),"
                    + " which chainwatch cannot express: conditions name the field they test");
        } else {
            throw new SigmaConversionException("selection '" + name + "' is neither a map of fields nor a list of maps");
        }
        converted.put(name, out);
        return out.deepCopy();
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject()) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode map(String selection, JsonNode map) throws SigmaConversionException {
        if (map.isEmpty()) {
            throw new SigmaConversionException("selection '" + selection + "' is empty");
        }
        List<ObjectNode> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(field(selection, e.getKey(), e.getValue()));
        }
        return and(parts);
    }

    // --- one "field|modifiers: values" entry

    /** One group of operands that share an operator: rendered as one chainwatch field condition. */
    private static final class Spec {
        final String op; // equals, contains, prefix, suffix, regex, cidr, exists, gt, gte, lt, lte
        final boolean ignoreCase;
        final List<JsonNode> operands = new ArrayList<>();

        Spec(String op, boolean ignoreCase) {
            this.op = op;
            this.ignoreCase = ignoreCase;
        }

        JsonNode render() {
            switch (op) {
                case "equals":
                    if (!ignoreCase) {
                        return operands.size() == 1 ? operands.get(0) : array(operands);
                    }
                    ObjectNode eq = JSON.objectNode();
                    if (operands.size() == 1) {
                        eq.set("equals", operands.get(0));
                    } else {
                        eq.set("in", array(operands));
                    }
                    eq.put("ignoreCase", true);
                    return eq;
                case "exists":
                case "gt":
                case "gte":
                case "lt":
                case "lte": {
                    ObjectNode o = JSON.objectNode();
                    o.set(op, operands.get(0));
                    return o;
                }
                default: {
                    ObjectNode o = JSON.objectNode();
                    o.set(op, operands.size() == 1 ? operands.get(0) : array(operands));
                    if (ignoreCase) {
                        o.put("ignoreCase", true);
                    }
                    return o;
                }
            }
        }
    }

    private ObjectNode field(String selection, String key, JsonNode value) throws SigmaConversionException {
        String[] parts = key.split("\\|", -1);
        String sigmaField = parts[0].strip();
        if (sigmaField.isEmpty()) {
            throw new SigmaConversionException("selection '" + selection + "' is a keyword search ('" + key
                    + "' without a field), which chainwatch cannot express: conditions name the field they test");
        }
        String matcher = null;
        boolean all = false;
        boolean cased = false;
        boolean neq = false;
        StringBuilder reFlags = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            String m = parts[i].strip().toLowerCase(Locale.ROOT);
            if (ENCODINGS.contains(m)) {
                throw new SigmaConversionException("condition uses '|" + m + "' modifier, which chainwatch cannot express");
            } else if (TIME_PARTS.contains(m)) {
                throw new SigmaConversionException("condition uses the time-part modifier '|" + m + "' (on '" + sigmaField
                        + "'), which chainwatch cannot express");
            } else if (m.equals("expand")) {
                throw new SigmaConversionException("condition uses '|expand' placeholders (on '" + sigmaField
                        + "'), which need a Sigma processing pipeline; chainwatch cannot express them");
            } else if (m.equals("fieldref")) {
                throw new SigmaConversionException("condition uses '|fieldref' (compares '" + sigmaField
                        + "' with another field of the same event), which chainwatch cannot express");
            } else if (m.equals("all")) {
                all = true;
            } else if (m.equals("cased")) {
                cased = true;
            } else if (m.equals("neq")) {
                neq = true;
            } else if (RE_FLAGS.contains(m)) {
                if (!"re".equals(matcher)) {
                    throw new SigmaConversionException("modifier '|" + m + "' on '" + sigmaField + "' is only valid after '|re'");
                }
                if (reFlags.indexOf(m) < 0) {
                    reFlags.append(m);
                }
            } else if (MATCHERS.contains(m)) {
                if (matcher != null) {
                    throw new SigmaConversionException("'" + key + "' combines '|" + matcher + "' and '|" + m
                            + "', which chainwatch cannot express");
                }
                matcher = m;
            } else {
                throw new SigmaConversionException("condition uses unknown modifier '|" + m + "' (on '" + sigmaField + "')");
            }
        }
        List<String> paths = SigmaFields.map(sigmaField);
        List<JsonNode> values = new ArrayList<>();
        if (value.isArray()) {
            if (value.isEmpty()) {
                throw new SigmaConversionException("'" + key + "' has an empty list of values");
            }
            value.forEach(values::add);
        } else {
            values.add(value);
        }
        for (JsonNode v : values) {
            if (v.isContainerNode()) {
                throw new SigmaConversionException("'" + key + "' has a nested map or list as a value, which Sigma does not define");
            }
        }
        List<ObjectNode> perPath = new ArrayList<>();
        boolean negative = false;
        for (String path : paths) {
            List<Spec> specs = new ArrayList<>();
            for (JsonNode v : values) {
                Spec s = spec(selection, key, path, matcher, reFlags.toString(), cased, v);
                if (all) {
                    specs.add(s); // one condition per value
                } else {
                    Spec same = specs.stream().filter(x -> x.op.equals(s.op) && x.ignoreCase == s.ignoreCase
                            && !x.op.equals("exists") && !isNumericOp(x.op)).findFirst().orElse(null);
                    if (same != null) {
                        same.operands.addAll(s.operands);
                    } else if (!(s.op.equals("exists") && specs.stream().anyMatch(x -> x.op.equals("exists")
                            && x.operands.get(0).equals(s.operands.get(0))))) {
                        specs.add(s);
                    }
                }
            }
            negative = specs.size() == 1 && specs.get(0).op.equals("exists") && !specs.get(0).operands.get(0).booleanValue();
            List<ObjectNode> fragments = new ArrayList<>();
            for (Spec s : specs) {
                ObjectNode f = JSON.objectNode();
                f.set(path, s.render());
                fragments.add(f);
            }
            perPath.add(all ? and(fragments) : or(fragments));
        }
        // An abstract field with several paths: present in any of them; absent means absent from all.
        ObjectNode out = negative ? and(perPath) : or(perPath);
        return neq ? not(out) : out;
    }

    private static boolean isNumericOp(String op) {
        return op.equals("gt") || op.equals("gte") || op.equals("lt") || op.equals("lte");
    }

    private Spec spec(String selection, String key, String path, String matcher, String reFlags, boolean cased, JsonNode v)
            throws SigmaConversionException {
        FieldPath.Type type = SigmaFields.type(path);
        boolean textField = type == FieldPath.Type.STRING || type == FieldPath.Type.STRING_LIST;
        if (matcher != null && isNumericOp(matcher)) {
            if (textField) {
                throw new SigmaConversionException("'" + key + "' compares the text field '" + path + "' as a number,"
                        + " which chainwatch cannot express");
            }
            double d = v.isNumber() ? v.doubleValue() : parseNumber(v);
            if (Double.isNaN(d)) {
                throw new SigmaConversionException("'" + key + "' needs a number, found '" + v.asText() + "'");
            }
            Spec s = new Spec(matcher, false);
            s.operands.add(v.isNumber() ? v : number(d));
            return s;
        }
        if ("exists".equals(matcher)) {
            boolean b;
            if (v.isBoolean()) {
                b = v.booleanValue();
            } else if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
                b = Boolean.parseBoolean(v.textValue().toLowerCase(Locale.ROOT));
            } else {
                throw new SigmaConversionException("'" + key + "' takes true or false, found '" + v.asText() + "'");
            }
            Spec s = new Spec("exists", false);
            s.operands.add(JSON.booleanNode(b));
            return s;
        }
        if (v.isNull()) {
            if (matcher != null) {
                throw new SigmaConversionException("'" + key + "' has a null value, which '|" + matcher + "' cannot use");
            }
            Spec s = new Spec("exists", false);
            s.operands.add(JSON.booleanNode(false));
            return s;
        }
        if ("cidr".equals(matcher)) {
            Spec s = new Spec("cidr", false);
            s.operands.add(JSON.textNode(v.asText().strip()));
            return s;
        }
        if ("re".equals(matcher)) {
            String re = v.asText();
            SigmaRegex.checkRe2(re);
            Spec s = new Spec("regex", false);
            s.operands.add(JSON.textNode(reFlags.isEmpty() ? re : "(?" + reFlags + ")" + re));
            return s;
        }
        // Plain values and contains/startswith/endswith: Sigma wildcards (* and ?) apply.
        if ((v.isNumber() || v.isBoolean()) && matcher == null) {
            Spec s = new Spec("equals", false);
            s.operands.add(v);
            return s;
        }
        boolean lower = SigmaFields.lowerCase(path);
        SigmaWildcard w = SigmaWildcard.parse(v.asText(), matcher);
        boolean fold = !cased && !lower;
        if (w.kind == SigmaWildcard.Kind.ANY) {
            Spec s = new Spec("exists", false);
            s.operands.add(JSON.booleanNode(true));
            return s;
        }
        if (w.kind == SigmaWildcard.Kind.REGEX) {
            String re = lower && !cased ? w.regex(true) : w.regex(false);
            boolean ci = fold && hasCase(w.literalText());
            Spec s = new Spec("regex", false);
            s.operands.add(JSON.textNode(ci ? "(?i)" + re : re));
            return s;
        }
        String literal = lower && !cased ? w.literal.toLowerCase(Locale.ROOT) : w.literal;
        if (type == FieldPath.Type.INTEGER && w.kind == SigmaWildcard.Kind.EQUALS && Double.isNaN(parseNumber(JSON.textNode(literal)))) {
            throw new SigmaConversionException("selection '" + selection + "': field '" + path + "' is numeric, but the rule"
                    + " compares it with '" + literal + "', which can never match");
        }
        String op;
        switch (w.kind) {
            case CONTAINS: op = "contains"; break;
            case PREFIX: op = "prefix"; break;
            case SUFFIX: op = "suffix"; break;
            default: op = "equals"; break;
        }
        Spec s = new Spec(op, fold && hasCase(literal));
        if (op.equals("equals") && type == FieldPath.Type.INTEGER) {
            s.operands.add(number(parseNumber(JSON.textNode(literal))));
        } else {
            s.operands.add(JSON.textNode(literal));
        }
        return s;
    }

    static boolean hasCase(String s) {
        return !s.toLowerCase(Locale.ROOT).equals(s.toUpperCase(Locale.ROOT));
    }

    private static double parseNumber(JsonNode v) {
        try {
            return Double.parseDouble(v.asText().strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static JsonNode number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? JSON.numberNode((long) d) : JSON.numberNode(d);
    }

    static ArrayNode array(List<JsonNode> items) {
        ArrayNode a = JSON.arrayNode();
        items.forEach(a::add);
        return a;
    }

    // --- combining conditions

    /**
     * Every part holds. Parts are merged into one mapping where their keys do not collide (a mapping means
     * "all of these"); colliding entries go to an {@code all} list, several {@code not}s become {@code none}.
     */
    static ObjectNode and(List<ObjectNode> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        ObjectNode out = JSON.objectNode();
        List<JsonNode> extra = new ArrayList<>();
        List<JsonNode> negated = new ArrayList<>();
        for (ObjectNode p : parts) {
            Iterator<Map.Entry<String, JsonNode>> it = p.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (k.equals("all")) {
                    e.getValue().forEach(extra::add);
                } else if (k.equals("not")) {
                    negated.add(e.getValue());
                } else if (k.equals("none")) {
                    e.getValue().forEach(negated::add);
                } else if (out.has(k)) {
                    ObjectNode single = JSON.objectNode();
                    single.set(k, e.getValue());
                    extra.add(single);
                } else {
                    out.set(k, e.getValue());
                }
            }
        }
        if (negated.size() == 1) {
            out.set("not", negated.get(0));
        } else if (negated.size() > 1) {
            out.set("none", array(negated));
        }
        if (!extra.isEmpty()) {
            out.set("all", array(extra));
        }
        return out;
    }

    /** At least one part holds; nested {@code any}s are flattened. */
    static ObjectNode or(List<ObjectNode> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<JsonNode> alternatives = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ObjectNode p : parts) {
            if (p.size() == 1 && p.has("any")) {
                p.get("any").forEach(a -> {
                    if (seen.add(a.toString())) {
                        alternatives.add(a);
                    }
                });
            } else if (seen.add(p.toString())) {
                alternatives.add(p);
            }
        }
        if (alternatives.size() == 1) {
            return (ObjectNode) alternatives.get(0);
        }
        ObjectNode out = JSON.objectNode();
        out.set("any", array(alternatives));
        return out;
    }

    /** The part does not hold: {@code not: {...}}, or {@code none: [...]} for the negation of an {@code any}. */
    static ObjectNode not(ObjectNode part) {
        ObjectNode out = JSON.objectNode();
        if (part.size() == 1 && part.has("any")) {
            out.set("none", part.get("any"));
        } else if (part.size() == 1 && part.has("not")) {
            JsonNode inner = part.get("not");
            return inner.isObject() ? (ObjectNode) inner : part;
        } else if (part.size() == 1 && part.has("none")) {
            out.set("any", part.get("none"));
        } else {
            out.set("not", part);
        }
        return out;
    }
}
