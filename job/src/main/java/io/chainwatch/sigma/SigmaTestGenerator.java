package io.chainwatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.ingest.RawRecord;
import io.chainwatch.pattern.Condition;
import io.chainwatch.pattern.Durations;
import io.chainwatch.pattern.FieldPath;
import io.chainwatch.patterntest.TestEvents;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the firing and quiet tests of a converted pattern mechanically: one audit event that satisfies the
 * condition (for each field the first value; {@code contains} wraps the value, {@code prefix} extends it, a
 * simple regex is instantiated, a CIDR gives its first host...), and a near miss that is the same event with
 * the verb or the resource changed (or, failing that, one matched field removed).
 *
 * <p>Nothing is taken on trust: every generated event is completed like a pattern test event, parsed by the
 * real parser and evaluated against the compiled condition; when that fails, no tests are generated and the
 * reason says why.
 */
final class SigmaTestGenerator {

    /** Generated tests, or why there are none. */
    static final class Tests {
        final ArrayNode tests;
        final String omitted;

        private Tests(ArrayNode tests, String omitted) {
            this.tests = tests;
            this.omitted = omitted;
        }

        static Tests none(String why) {
            return new Tests(null, why);
        }
    }

    /** The generator cannot build an event for a condition. */
    static final class NotMechanical extends Exception {
        private static final long serialVersionUID = 1L;

        NotMechanical(String message) {
            super(message);
        }
    }

    private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection");
    private static final List<String> RESOURCES = List.of("configmaps", "namespaces", "pods", "secrets");
    /** Pod spec flags that are booleans: "present" is written as true. */
    private static final java.util.Set<String> BOOLEAN_LEAVES = java.util.Set.of("hostPID", "hostIPC", "hostNetwork",
            "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "runAsNonRoot", "hostUsers",
            "automountServiceAccountToken", "shareProcessNamespace");
    private static final String DEFAULT_USER = "sigma-test@example.com";
    private static final int MAX_AGGREGATE_EVENTS = 20;

    private SigmaTestGenerator() {}

    // --- the three pattern forms

    static Tests single(ObjectNode where) {
        try {
            Condition c = SigmaYaml.compile(where);
            Ev fire = eventFor(where);
            check(c, fire.json, true, "the generated event");
            Mutation quiet = nearMiss(c, fire, List.of());
            ArrayNode tests = SigmaDetection.JSON.arrayNode();
            tests.add(test("an event matching the Sigma detection fires", List.of(fire.json), 1));
            tests.add(test(quiet.description + " stays quiet", List.of(quiet.event), 0));
            return new Tests(tests, null);
        } catch (NotMechanical | SigmaConversionException e) {
            return Tests.none(e.getMessage());
        }
    }

    /**
     * @param wheres   the step conditions, in order
     * @param keys     per step: key name to the field path that step reads it from
     */
    static Tests sequence(List<ObjectNode> wheres, List<Map<String, String>> keys, Duration within) {
        try {
            List<Condition> conditions = new ArrayList<>();
            List<Ev> events = new ArrayList<>();
            for (ObjectNode w : wheres) {
                conditions.add(SigmaYaml.compile(w));
                events.add(eventFor(w));
            }
            applyKeys(events, keys);
            for (int i = 0; i < events.size(); i++) {
                check(conditions.get(i), events.get(i).json, true, "the generated event of step " + (i + 1));
            }
            checkKeys(events, keys);
            int last = events.size() - 1;
            Mutation quiet = nearMiss(conditions.get(last), events.get(last), new ArrayList<>(keys.get(last).values()));
            Duration gap = gap(within, events.size());
            List<ObjectNode> firing = new ArrayList<>();
            List<ObjectNode> near = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                firing.add(at(events.get(i).json, gap.multipliedBy(i)));
                near.add(at(i == last ? quiet.event : events.get(i).json, gap.multipliedBy(i)));
            }
            String keyText = String.join(", ", keys.get(0).keySet());
            ArrayNode tests = SigmaDetection.JSON.arrayNode();
            tests.add(test("the steps in order, for the same " + keyText + ", within " + Durations.format(within) + " fire", firing, 1));
            tests.add(test("the same timeline with the last step changed (" + quiet.description.replace("the same event ", "")
                    + ") stays quiet", near, 0));
            return new Tests(tests, null);
        } catch (NotMechanical | SigmaConversionException e) {
            return Tests.none(e.getMessage());
        }
    }

    /**
     * @param threshold  the number of events ({@code distinctField == null}) or distinct values that fires
     */
    static Tests aggregate(ObjectNode where, Map<String, String> key, Duration window, long threshold, String distinctField) {
        if (threshold < 1) {
            return Tests.none("a threshold below 1 needs no events");
        }
        if (threshold > MAX_AGGREGATE_EVENTS) {
            return Tests.none("the threshold " + threshold + " is too large for a generated test (at most " + MAX_AGGREGATE_EVENTS + " events)");
        }
        try {
            Condition c = SigmaYaml.compile(where);
            Ev e = eventFor(where);
            List<Ev> one = List.of(e);
            applyKeys(one, List.of(key));
            check(c, e.json, true, "the generated event");
            int n = (int) threshold;
            Duration gap = gap(window, n);
            List<ObjectNode> firing = new ArrayList<>();
            List<ObjectNode> quiet = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ObjectNode copy = e.json.deepCopy();
                if (distinctField != null) {
                    set(copy, distinctField, SigmaDetection.JSON.textNode(sample(distinctField) + "-" + (i + 1)));
                    check(c, copy, true, "the generated event with a distinct " + distinctField);
                }
                firing.add(at(copy, gap.multipliedBy(i)));
                if (distinctField == null) {
                    if (i < n - 1) {
                        quiet.add(at(copy, gap.multipliedBy(i)));
                    }
                } else {
                    ObjectNode repeat = e.json.deepCopy();
                    set(repeat, distinctField, SigmaDetection.JSON.textNode(sample(distinctField) + "-" + (i == n - 1 ? 1 : i + 1)));
                    quiet.add(at(repeat, gap.multipliedBy(i)));
                }
            }
            ArrayNode tests = SigmaDetection.JSON.arrayNode();
            String keyText = key.isEmpty() ? "" : " for the same " + String.join(", ", key.keySet());
            if (distinctField == null) {
                tests.add(test(n + " matching events" + keyText + " within " + Durations.format(window) + " fire", firing, 1));
                if (n > 1) {
                    tests.add(test((n - 1) + " matching events stay quiet", quiet, 0));
                }
            } else {
                tests.add(test(n + " distinct " + distinctField + " values" + keyText + " within " + Durations.format(window) + " fire", firing, 1));
                if (n > 1) {
                    tests.add(test(n + " events with only " + (n - 1) + " distinct " + distinctField + " values stay quiet", quiet, 0));
                }
            }
            if (n == 1) {
                Mutation m = nearMiss(c, e, new ArrayList<>(key.values()));
                tests.add(test(m.description + " stays quiet", List.of(m.event), 0));
            }
            return new Tests(tests, null);
        } catch (NotMechanical | SigmaConversionException ex) {
            return Tests.none(ex.getMessage());
        }
    }

    // --- building one event

    /** A generated event and the paths the condition made it set, in order. */
    static final class Ev {
        final ObjectNode json = SigmaDetection.JSON.objectNode();
        final List<String> constrained = new ArrayList<>();
    }

    static Ev eventFor(ObjectNode where) throws NotMechanical {
        Ev ev = new Ev();
        satisfy(where, ev);
        if (!ev.json.has("verb")) {
            ev.json.put("verb", "get");
        }
        if (get(ev.json, "user.username") == null && !ev.constrained.contains("principal")) {
            set(ev.json, "user.username", SigmaDetection.JSON.textNode(DEFAULT_USER));
        }
        return ev;
    }

    private static void satisfy(ObjectNode cond, Ev ev) throws NotMechanical {
        Iterator<Map.Entry<String, JsonNode>> it = cond.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "all":
                    for (JsonNode item : v) {
                        satisfy((ObjectNode) item, ev);
                    }
                    break;
                case "any": {
                    NotMechanical first = null;
                    boolean done = false;
                    for (JsonNode item : v) {
                        Ev trial = copy(ev);
                        try {
                            satisfy((ObjectNode) item, trial);
                        } catch (NotMechanical nm) {
                            if (first == null) {
                                first = nm;
                            }
                            continue;
                        }
                        ev.json.removeAll();
                        ev.json.setAll(trial.json);
                        ev.constrained.clear();
                        ev.constrained.addAll(trial.constrained);
                        done = true;
                        break;
                    }
                    if (!done) {
                        throw first;
                    }
                    break;
                }
                case "none":
                case "not":
                    break; // the event simply lacks what is excluded; the check afterwards confirms it
                default:
                    field(k, v, ev);
            }
        }
    }

    private static Ev copy(Ev ev) {
        Ev c = new Ev();
        c.json.setAll(ev.json.deepCopy());
        c.constrained.addAll(ev.constrained);
        return c;
    }

    private static void field(String path, JsonNode spec, Ev ev) throws NotMechanical {
        if (!ev.constrained.contains(path)) {
            ev.constrained.add(path);
        }
        if (spec.isValueNode()) {
            set(ev.json, path, spec);
            return;
        }
        if (spec.isArray()) {
            set(ev.json, path, spec.get(0));
            return;
        }
        JsonNode op;
        if ((op = spec.get("equals")) != null || (op = spec.get("in")) != null) {
            set(ev.json, path, op.isArray() ? op.get(0) : op);
        }
        String existing = text(get(ev.json, path));
        if ((op = spec.get("contains")) != null) {
            String c = first(op);
            String v = existing != null && !existing.contains(c) ? existing + c + "x"
                    : existing != null ? existing : "x" + c + "x";
            set(ev.json, path, SigmaDetection.JSON.textNode(v));
            existing = v;
        }
        if ((op = spec.get("prefix")) != null) {
            String p = first(op);
            String v = existing != null && existing.startsWith(p) ? existing : p + (existing != null ? existing : "x");
            set(ev.json, path, SigmaDetection.JSON.textNode(v));
            existing = v;
        }
        if ((op = spec.get("suffix")) != null) {
            String s = first(op);
            String v = existing != null && existing.endsWith(s) ? existing : (existing != null ? existing : "x") + s;
            set(ev.json, path, SigmaDetection.JSON.textNode(v));
        }
        if ((op = spec.get("regex")) != null) {
            String re = first(op);
            String v = SigmaRegex.sample(re);
            if (v == null) {
                throw new NotMechanical("no event can be built mechanically for the regular expression '" + re + "'");
            }
            set(ev.json, path, SigmaDetection.JSON.textNode(v));
        }
        if ((op = spec.get("cidr")) != null) {
            set(ev.json, path, SigmaDetection.JSON.textNode(firstHost(first(op))));
        }
        if (spec.has("gt") || spec.has("gte") || spec.has("lt") || spec.has("lte")) {
            double v = spec.has("gte") ? spec.get("gte").asDouble() : spec.has("gt") ? Math.floor(spec.get("gt").asDouble()) + 1
                    : spec.has("lte") ? spec.get("lte").asDouble() : Math.ceil(spec.get("lt").asDouble()) - 1;
            set(ev.json, path, v == Math.rint(v) ? SigmaDetection.JSON.numberNode((long) v) : SigmaDetection.JSON.numberNode(v));
        }
        JsonNode exists = spec.get("exists");
        if (exists != null) {
            if (exists.booleanValue()) {
                if (get(ev.json, path) == null) {
                    set(ev.json, path, sampleValue(path));
                }
            } else {
                remove(ev.json, path);
            }
        }
    }

    private static String first(JsonNode op) {
        return (op.isArray() ? op.get(0) : op).asText();
    }

    private static String text(JsonNode n) {
        return n == null || !n.isValueNode() ? null : n.asText();
    }

    private static String firstHost(String cidr) throws NotMechanical {
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        int prefix;
        if (!addr.matches("[0-9a-fA-F:.]+")) {
            throw new NotMechanical("'" + cidr + "' is not a CIDR network");
        }
        try {
            byte[] b = InetAddress.getByName(addr).getAddress(); // a literal address: no lookup happens
            prefix = slash < 0 ? b.length * 8 : Integer.parseInt(cidr.substring(slash + 1).trim());
            if (prefix < b.length * 8) {
                b[b.length - 1] |= 1;
            }
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException | NumberFormatException e) {
            throw new NotMechanical("'" + cidr + "' is not a CIDR network");
        }
    }

    /** A plausible value for a field that only has to be present (or be a key). */
    static JsonNode sampleValue(String path) {
        if (path.endsWith("capabilities.add")) {
            return SigmaDetection.JSON.arrayNode().add("SYS_ADMIN");
        }
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        if (BOOLEAN_LEAVES.contains(leaf)) {
            return SigmaDetection.JSON.booleanNode(true);
        }
        return SigmaDetection.JSON.textNode(sample(path));
    }

    private static String sample(String path) {
        switch (path) {
            case "user.username":
            case "principal":
                return DEFAULT_USER;
            case "objectRef.namespace":
                return "default";
            case "objectRef.name":
            case "objectName":
                return "target";
            case "sourceIPs":
            case "clientIP":
            case "peerIP":
                return "203.0.113.7";
            case "userAgent":
                return "kubectl/v1.31.0";
            default:
                return path.endsWith("hostPath.path") ? "/" : "sigma-test";
        }
    }

    // --- near misses

    private static final class Mutation {
        final ObjectNode event;
        final String description;

        Mutation(ObjectNode event, String description) {
            this.event = event;
            this.description = description;
        }
    }

    /** The same event changed so that the condition no longer holds: verb, then resource, then a removed field. */
    private static Mutation nearMiss(Condition c, Ev fire, List<String> keep) throws NotMechanical {
        if (fire.constrained.contains("verb")) {
            String verb = fire.json.path("verb").asText();
            for (String v : VERBS) {
                if (!v.equals(verb)) {
                    ObjectNode m = fire.json.deepCopy();
                    m.put("verb", v);
                    if (quiet(c, m)) {
                        return new Mutation(m, "the same event with verb " + v);
                    }
                }
            }
        }
        if (fire.constrained.contains("objectRef.resource")) {
            String res = text(get(fire.json, "objectRef.resource"));
            for (String r : RESOURCES) {
                if (!r.equals(res)) {
                    ObjectNode m = fire.json.deepCopy();
                    set(m, "objectRef.resource", SigmaDetection.JSON.textNode(r));
                    if (quiet(c, m)) {
                        return new Mutation(m, "the same event on " + r);
                    }
                }
            }
        }
        if (fire.constrained.contains("responseStatus.code")) {
            for (int code : new int[] {200, 201, 404, 500}) {
                ObjectNode m = fire.json.deepCopy();
                set(m, "responseStatus.code", SigmaDetection.JSON.numberNode(code));
                if (quiet(c, m)) {
                    return new Mutation(m, "the same event with response code " + code);
                }
            }
        }
        for (String path : fire.constrained) {
            if (keep.contains(path) || path.equals("verb") || get(fire.json, path) == null) {
                continue;
            }
            ObjectNode m = fire.json.deepCopy();
            remove(m, path);
            if (quiet(c, m)) {
                return new Mutation(m, "the same event without " + path);
            }
        }
        throw new NotMechanical("no near miss found by changing the verb or resource or removing a matched field");
    }

    private static boolean quiet(Condition c, ObjectNode event) {
        AuditEvent e = parse(event);
        return e != null && !c.test(e);
    }

    // --- keys for sequences and aggregations

    private static void applyKeys(List<Ev> events, List<Map<String, String>> keys) throws NotMechanical {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            for (Map.Entry<String, String> k : keys.get(i).entrySet()) {
                JsonNode v = get(events.get(i).json, k.getValue());
                if (v != null && !values.containsKey(k.getKey())) {
                    values.put(k.getKey(), v.isArray() && v.size() > 0 ? v.get(0) : v);
                }
            }
        }
        for (int i = 0; i < events.size(); i++) {
            for (Map.Entry<String, String> k : keys.get(i).entrySet()) {
                JsonNode v = values.computeIfAbsent(k.getKey(), n -> SigmaDetection.JSON.textNode(sample(k.getValue())));
                if (get(events.get(i).json, k.getValue()) == null) {
                    set(events.get(i).json, k.getValue(), v);
                }
            }
        }
    }

    private static void checkKeys(List<Ev> events, List<Map<String, String>> keys) throws NotMechanical {
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            AuditEvent e = parse(events.get(i).json);
            for (Map.Entry<String, String> k : keys.get(i).entrySet()) {
                String v = e == null ? null : FieldPath.parse(k.getValue()).firstText(e);
                if (v == null) {
                    throw new NotMechanical("the generated event of step " + (i + 1) + " has no value for key '" + k.getKey() + "'");
                }
                String before = seen.putIfAbsent(k.getKey(), v);
                if (before != null && !before.equals(v)) {
                    throw new NotMechanical("the steps' conditions give key '" + k.getKey() + "' different values ("
                            + before + ", " + v + ")");
                }
            }
        }
    }

    // --- checking with the real parser and condition

    private static void check(Condition c, ObjectNode event, boolean expected, String what) throws NotMechanical {
        AuditEvent e = parse(event);
        if (e == null) {
            throw new NotMechanical(what + " is not a valid audit event");
        }
        if (c.test(e) != expected) {
            throw new NotMechanical(what + " does not satisfy the condition (" + c.describe() + ")");
        }
    }

    /** The event as a pattern test would feed it: completed, serialised and parsed; null if the parser refuses it. */
    static AuditEvent parse(ObjectNode partial) {
        String json = JsonSupport.write(TestEvents.complete(partial, 0, "sigma-check"));
        List<AuditEvent> out = new ArrayList<>();
        new AuditEventParser("sigma-check", 200).parse(RawRecord.of("sigma-check", 1, json.getBytes(StandardCharsets.UTF_8)),
                new AuditEventParser.Output() {
                    @Override
                    public void event(AuditEvent event) {
                        out.add(event);
                    }

                    @Override
                    public void deadLetter(DeadLetter deadLetter) {
                        // stays empty
                    }

                    @Override
                    public void skipped(String category) {
                        // stays empty
                    }
                });
        return out.isEmpty() ? null : out.get(0);
    }

    // --- test rendering

    /** The order in which the shipped patterns write test event fields. */
    private static final List<String> EVENT_ORDER = List.of("at", "verb", "stage", "user", "impersonatedUser", "sourceIPs",
            "userAgent", "requestURI", "objectRef", "responseStatus", "annotations", "requestObject", "responseObject");

    private static ObjectNode ordered(ObjectNode event) {
        ObjectNode out = SigmaDetection.JSON.objectNode();
        for (String k : EVENT_ORDER) {
            if (event.has(k)) {
                out.set(k, event.get(k));
            }
        }
        event.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static ObjectNode test(String name, List<ObjectNode> events, int alerts) {
        ObjectNode t = SigmaDetection.JSON.objectNode();
        t.put("name", name);
        ArrayNode ev = t.putArray("events");
        events.forEach(e -> ev.add(ordered(e)));
        t.putObject("expect").put("alerts", alerts);
        return t;
    }

    private static ObjectNode at(ObjectNode event, Duration offset) {
        if (offset.isZero()) {
            return event.deepCopy();
        }
        ObjectNode out = SigmaDetection.JSON.objectNode();
        out.put("at", Durations.format(offset));
        out.setAll(event.deepCopy());
        return out;
    }

    /** Spacing of n events inside a window: one second, or less when the window is short. */
    private static Duration gap(Duration window, int n) {
        long ms = Math.max(1, Math.min(1000, window.toMillis() / (n + 1)));
        return Duration.ofMillis(ms);
    }

    // --- paths in a partial audit event

    /** Where a chainwatch field lives in the audit event JSON: segments (String, Integer index, -1 = every element). */
    private static final class Location {
        final List<Object> segments = new ArrayList<>();
        boolean listLeaf;
    }

    private static Location locate(String path) throws NotMechanical {
        Location l = new Location();
        String raw = path;
        switch (path) {
            case "principal": raw = "user.username"; break;
            case "objectName": raw = "objectRef.name"; break;
            case "clientIP":
            case "peerIP": raw = "sourceIPs"; break;
            case "podName": raw = "user.extra." + AuditEventParser.EXTRA_POD_NAME; break;
            case "credentialId": raw = "user.extra." + AuditEventParser.EXTRA_CREDENTIAL_ID; break;
            case "decision": raw = "annotations." + AuditEventParser.DECISION_ANNOTATION; break;
            case "cluster":
            case "auditID":
            case "apiVersion":
            case "saNamespace":
            case "saName":
            case "responseClass":
                throw new NotMechanical("a test event cannot set '" + path + "' directly");
            default:
                break;
        }
        if (raw.startsWith("annotations.")) {
            l.segments.add("annotations");
            l.segments.add(raw.substring("annotations.".length()));
            return l;
        }
        if (raw.startsWith("user.extra.")) {
            l.segments.add("user");
            l.segments.add("extra");
            l.segments.add(raw.substring("user.extra.".length()));
            l.listLeaf = true;
            return l;
        }
        if (raw.startsWith("requestObject") || raw.startsWith("responseObject")) {
            String root = raw.startsWith("requestObject") ? "requestObject" : "responseObject";
            l.segments.add(root);
            bodySegments(raw.substring(root.length()), l.segments);
            return l;
        }
        for (String s : raw.split("\\.")) {
            l.segments.add(s);
        }
        l.listLeaf = raw.equals("sourceIPs") || raw.equals("user.groups") || raw.equals("impersonatedUser.groups");
        return l;
    }

    private static void bodySegments(String rest, List<Object> out) throws NotMechanical {
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < rest.length() && rest.charAt(j) != '.' && rest.charAt(j) != '[') {
                    j++;
                }
                out.add(rest.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int close = rest.indexOf(']', i);
                if (close < 0) {
                    throw new NotMechanical("bad path " + rest);
                }
                String inner = rest.substring(i + 1, close).trim();
                if (inner.equals("*")) {
                    out.add(-1);
                } else if (inner.startsWith("\"") || inner.startsWith("'")) {
                    out.add(inner.substring(1, inner.length() - 1));
                } else {
                    out.add(Integer.parseInt(inner));
                }
                i = close + 1;
            } else {
                throw new NotMechanical("bad path " + rest);
            }
        }
    }

    static void set(ObjectNode event, String path, JsonNode value) throws NotMechanical {
        Location l = locate(path);
        JsonNode cur = event;
        for (int i = 0; i < l.segments.size() - 1; i++) {
            cur = child(cur, l.segments.get(i), !(l.segments.get(i + 1) instanceof String));
        }
        Object last = l.segments.get(l.segments.size() - 1);
        if (last instanceof String) {
            ObjectNode o = (ObjectNode) cur;
            if (l.listLeaf) {
                JsonNode existing = o.get((String) last);
                ArrayNode a = existing instanceof ArrayNode ? (ArrayNode) existing : o.putArray((String) last);
                boolean present = false;
                for (JsonNode x : a) {
                    present |= x.equals(value);
                }
                if (!present) {
                    a.add(value);
                }
            } else {
                o.set((String) last, value);
            }
        } else {
            ArrayNode a = (ArrayNode) cur;
            int idx = (Integer) last;
            if (idx < 0) {
                if (value.isArray()) {
                    value.forEach(a::add);
                } else {
                    a.add(value);
                }
            } else {
                while (a.size() <= idx) {
                    a.addNull();
                }
                a.set(idx, value);
            }
        }
    }

    private static JsonNode child(JsonNode parent, Object seg, boolean wantArray) {
        if (seg instanceof String) {
            ObjectNode o = (ObjectNode) parent;
            JsonNode c = o.get((String) seg);
            if (wantArray ? c instanceof ArrayNode : c instanceof ObjectNode) {
                return c;
            }
            return wantArray ? o.putArray((String) seg) : o.putObject((String) seg);
        }
        ArrayNode a = (ArrayNode) parent;
        int idx = Math.max(0, (Integer) seg);
        while (a.size() <= idx) {
            if (wantArray) {
                a.addArray();
            } else {
                a.addObject();
            }
        }
        JsonNode c = a.get(idx);
        if (wantArray ? c instanceof ArrayNode : c instanceof ObjectNode) {
            return c;
        }
        JsonNode fresh = wantArray ? SigmaDetection.JSON.arrayNode() : SigmaDetection.JSON.objectNode();
        a.set(idx, fresh);
        return fresh;
    }

    /** The value at a path (the first element for list fields and [*]), or null. */
    static JsonNode get(ObjectNode event, String path) {
        Location l;
        try {
            l = locate(path);
        } catch (NotMechanical e) {
            return null;
        }
        JsonNode cur = event;
        for (Object seg : l.segments) {
            if (cur == null) {
                return null;
            }
            if (seg instanceof String) {
                cur = cur.get((String) seg);
            } else {
                int idx = Math.max(0, (Integer) seg);
                cur = cur.isArray() && cur.size() > idx ? cur.get(idx) : null;
            }
        }
        if (cur != null && l.listLeaf && cur.isArray()) {
            return cur.size() > 0 ? cur.get(0) : null;
        }
        return cur == null || cur.isNull() ? null : cur;
    }

    static void remove(ObjectNode event, String path) throws NotMechanical {
        Location l = locate(path);
        JsonNode cur = event;
        for (int i = 0; i < l.segments.size() - 1 && cur != null; i++) {
            Object seg = l.segments.get(i);
            if (seg instanceof String) {
                cur = cur.get((String) seg);
            } else if (cur.isArray()) {
                // remove from every element below a [*]
                for (JsonNode item : cur) {
                    if (item instanceof ObjectNode) {
                        removeBelow(item, l.segments.subList(i + 1, l.segments.size()));
                    }
                }
                return;
            } else {
                return;
            }
        }
        Object last = l.segments.get(l.segments.size() - 1);
        if (cur instanceof ObjectNode && last instanceof String) {
            ((ObjectNode) cur).remove((String) last);
        } else if (cur instanceof ArrayNode) {
            ((ArrayNode) cur).removeAll();
        }
        prune(event);
    }

    /** Drops objects and arrays that a removal left empty. */
    private static void prune(JsonNode node) {
        if (node instanceof ObjectNode) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                JsonNode v = it.next().getValue();
                prune(v);
                if (v.isContainerNode() && v.isEmpty()) {
                    it.remove();
                }
            }
        } else if (node instanceof ArrayNode) {
            node.forEach(SigmaTestGenerator::prune);
        }
    }

    private static void removeBelow(JsonNode node, List<Object> segments) {
        JsonNode cur = node;
        for (int i = 0; i < segments.size() - 1 && cur != null; i++) {
            Object seg = segments.get(i);
            cur = seg instanceof String ? cur.get((String) seg) : null;
        }
        Object last = segments.get(segments.size() - 1);
        if (cur instanceof ObjectNode && last instanceof String) {
            ((ObjectNode) cur).remove((String) last);
        }
    }
}
