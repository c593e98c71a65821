package io.chainwatch.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads pattern files into {@link PatternDefinition}s, checking everything a Flink job would otherwise trip
 * over at run time: unknown keys and fields, bad operands, windows, key names, template references. Every
 * problem is reported with its {@code file:line:column}; a set with any error is refused as a whole.
 *
 * <p>Pattern files are data: the loader builds conditions from a fixed vocabulary and never evaluates
 * code, resolves classes or runs scripts from them.
 */
public final class PatternLoader {


    private static final Set<String> TOP_KEYS = Set.of("id", "title", "description", "severity", "status",
            "tactics", "techniques", "references", "falsePositives", "remediation", "author", "equivalents",
            "requires", "key", "within", "afterMatch", "where", "steps", "aggregate", "newTerms", "summary",
            "suppress", "escalate", "exceptions", "tests");
    private static final Set<String> STEP_KEYS = Set.of("name", "where", "key", "then", "maxGap", "times",
            "atLeast", "atMost", "optional", "absent", "join");

    private static final Set<String> OP_KEYS = Set.of("equals", "in", "prefix", "suffix", "contains", "regex",
            "cidr", "gt", "gte", "lt", "lte", "exists", "ignoreCase", "match", "not");
    private static final Set<String> GROUP_KEYS = Set.of("all", "any", "none", "not", "macro");
    private static final Set<String> EQUIVALENT_KEYS = Set.of("defender", "falco", "sigma", "elastic");
    private static final Set<String> TEST_KEYS = Set.of("name", "events", "expect");
    private static final Set<String> LEVELS = Set.of("Metadata", "Request", "RequestResponse");
    private static final Set<String> STATUSES = Set.of("experimental", "stable", "deprecated");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");
    /** Directories under the pattern root that hold other things than patterns. */
    private static final Set<String> NON_PATTERN_DIRS = Set.of("lists", "macros", "tests", "overrides", "schema", "coverage", "examples");

    private final List<PatternProblem> problems = new ArrayList<>();
    private final Limits limits;
    private String file;
    private LocatedYaml doc;
    private final Library library = new Library();

    /** Named lists, macros and site overrides shared by the patterns of a pack. */
    private static final class Library {
        final Map<String, List<String>> lists = new HashMap<>();
        final Map<String, MacroSource> macros = new HashMap<>();
        final Map<String, Condition> compiledMacros = new HashMap<>();
        final Set<String> compiling = new java.util.LinkedHashSet<>();
        final Map<String, PatternOverride> overrides = new HashMap<>();
    }

    private static final class MacroSource {
        final String file;
        final LocatedYaml doc;

        MacroSource(String file, LocatedYaml doc) {
            this.file = file;
            this.doc = doc;
        }
    }

    /** What a site changes about one pattern without editing its file. */
    private static final class PatternOverride {
        final String file;
        final LocatedYaml doc;
        final String ptr;

        PatternOverride(String file, LocatedYaml doc, String ptr) {
            this.file = file;
            this.doc = doc;
            this.ptr = ptr;
        }
    }

    /** The result of loading: the good definitions and every problem found. */
    public static final class Result {
        public final List<PatternDefinition> patterns;
        public final List<PatternProblem> problems;

        Result(List<PatternDefinition> patterns, List<PatternProblem> problems) {
            this.patterns = List.copyOf(patterns);
            this.problems = List.copyOf(problems);
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(PatternProblem::isError);
        }

        /** The definitions, or an exception listing every error. */
        public List<PatternDefinition> orThrow() throws PatternLoadException {
            if (hasErrors()) {
                throw new PatternLoadException(problems.stream().filter(PatternProblem::isError).collect(Collectors.toList()));
            }
            return patterns;
        }
    }

    /** Loads every {@code .yaml}/{@code .yml} pattern file under {@code path} (a file or a directory). */
    public static Result load(Path path) throws IOException {
        return load(path, List.of());
    }

    /**
     * Loads the patterns under {@code path} with the pack's library (the {@code lists/}, {@code macros/} and
     * {@code overrides/} folders of the nearest directory at or above {@code path} that has them) and any
     * further site override files or folders in {@code extraOverrides}.
     */
    public static Result load(Path path, List<Path> extraOverrides) throws IOException {
        return load(path, extraOverrides, Limits.DEFAULT);
    }

    /** As {@link #load(Path, List)}, with the deployment's bounds. */
    public static Result load(Path path, List<Path> extraOverrides, Limits limits) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            files.addAll(yamlFiles(path, true));
        } else if (Files.isRegularFile(path)) {
            files.add(path);
        } else {
            throw new IOException("no pattern file or directory at " + path);
        }
        PatternLoader loader = new PatternLoader(limits);
        Path root = libraryRoot(path);
        loader.loadLibrary(root != null ? root : (Files.isDirectory(path) ? path.toAbsolutePath() : path.toAbsolutePath().getParent()),
                extraOverrides);
        List<PatternDefinition> out = new ArrayList<>();
        Map<String, String> idToFile = new HashMap<>();
        for (Path f : files) {
            PatternDefinition def = loader.loadFile(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
            if (def != null) {
                String other = idToFile.putIfAbsent(def.id, f.toString());
                if (other != null) {
                    loader.error("/id", "pattern id '" + def.id + "' is already used by " + other);
                } else if (!loader.disabled.contains(def.id)) {
                    out.add(def);
                }
            }
        }
        for (Map.Entry<String, PatternOverride> o : loader.library.overrides.entrySet()) {
            if (!idToFile.containsKey(o.getKey())) {
                loader.inFile(o.getValue().file, o.getValue().doc, () ->
                        loader.error(o.getValue().ptr, "override for unknown pattern '" + o.getKey() + "'"));
            }
        }
        return new Result(out, loader.problems);
    }

    private static List<Path> yamlFiles(Path dir, boolean skipLibraryDirs) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml");
                    })
                    .filter(p -> {
                        Path rel = dir.relativize(p);
                        return !skipLibraryDirs || rel.getNameCount() == 1 || !NON_PATTERN_DIRS.contains(rel.getName(0).toString());
                    })
                    .sorted(Comparator.comparing(Path::toString))
                    .forEach(files::add);
        }
        return files;
    }

    private static Path libraryRoot(Path path) {
        Path dir = Files.isDirectory(path) ? path.toAbsolutePath() : path.toAbsolutePath().getParent();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("lists")) || Files.isDirectory(p.resolve("macros")) || Files.isDirectory(p.resolve("overrides"))) {
                return p;
            }
        }
        return null;
    }

    private final Set<String> disabled = new HashSet<>();

    private PatternLoader(Limits limits) {
        this.limits = limits;
    }
    /** The pack directory holding lists/, macros/, overrides/ and tests/ (fixtures), or null. */
    private Path libraryRootDir;

    /** Runs {@code body} with problem locations pointing into another file. */
    private void inFile(String otherFile, LocatedYaml otherDoc, Runnable body) {
        String f = this.file;
        LocatedYaml d = this.doc;
        this.file = otherFile;
        this.doc = otherDoc;
        try {
            body.run();
        } finally {
            this.file = f;
            this.doc = d;
        }
    }

    private LocatedYaml readYaml(Path f) throws IOException {
        try {
            return LocatedYaml.parse(Files.readString(f, StandardCharsets.UTF_8));
        } catch (LocatedYaml.YamlException e) {
            problems.add(new PatternProblem(f.toString(), e.line, e.column, PatternProblem.Level.ERROR, e.getMessage()));
            return null;
        }
    }

    private void loadLibrary(Path root, List<Path> extraOverrides) throws IOException {
        this.libraryRootDir = root;
        if (root != null && Files.isDirectory(root.resolve("lists"))) {
            for (Path f : yamlFiles(root.resolve("lists"), false)) {
                LocatedYaml y = readYaml(f);
                if (y != null) {
                    inFile(f.toString(), y, () -> readList(y.root()));
                }
            }
        }
        List<Path> overrideFiles = new ArrayList<>();
        if (root != null && Files.isDirectory(root.resolve("overrides"))) {
            overrideFiles.addAll(yamlFiles(root.resolve("overrides"), false));
        }
        for (Path extra : extraOverrides) {
            if (Files.isDirectory(extra)) {
                overrideFiles.addAll(yamlFiles(extra, false));
            } else if (Files.isRegularFile(extra)) {
                overrideFiles.add(extra);
            } else {
                throw new IOException("no override file or directory at " + extra);
            }
        }
        for (Path f : overrideFiles) {
            LocatedYaml y = readYaml(f);
            if (y != null) {
                inFile(f.toString(), y, () -> readOverrides(y.root()));
            }
        }
        if (root != null && Files.isDirectory(root.resolve("macros"))) {
            for (Path f : yamlFiles(root.resolve("macros"), false)) {
                LocatedYaml y = readYaml(f);
                if (y == null) {
                    continue;
                }
                inFile(f.toString(), y, () -> {
                    JsonNode m = y.root();
                    if (!m.isObject()) {
                        error("", "a macro file is a mapping with name, description and where");
                        return;
                    }
                    checkKeys(m, "", Set.of("name", "description", "where"), "macro");
                    String name = requiredText(m, "/name");
                    if (m.get("where") == null) {
                        error("", "a macro needs 'where'");
                    }
                    if (name != null && library.macros.putIfAbsent(name, new MacroSource(f.toString(), y)) != null) {
                        error("/name", "macro '" + name + "' is defined twice");
                    }
                });
            }
            // Compile every macro once so that errors in unused macros are reported too.
            for (String name : new ArrayList<>(library.macros.keySet())) {
                macro(name, "");
            }
        }
    }

    private void readList(JsonNode node) {
        if (!node.isObject()) {
            error("", "a list file is a mapping with name, description and items");
            return;
        }
        checkKeys(node, "", Set.of("name", "description", "items"), "list");
        String name = requiredText(node, "/name");
        List<String> items = node.get("items") == null ? null : operandsNoLists(node.get("items"), "/items");
        if (node.get("items") == null) {
            error("", "a list needs 'items'");
        }
        if (name != null && items != null && library.lists.putIfAbsent(name, new ArrayList<>(items)) != null) {
            error("/name", "list '" + name + "' is defined twice");
        }
    }

    private void readOverrides(JsonNode node) {
        if (!node.isObject()) {
            error("", "an override file is a mapping with 'lists' and/or 'patterns'");
            return;
        }
        checkKeys(node, "", Set.of("lists", "patterns"), "override");
        JsonNode lists = node.get("lists");
        if (lists != null) {
            if (!lists.isObject()) {
                error("/lists", "lists maps a list name to {append: [...]} or {replace: [...]}");
            } else {
                lists.fields().forEachRemaining(e -> {
                    String ptr = "/lists/" + escape(e.getKey());
                    List<String> current = library.lists.get(e.getKey());
                    if (current == null) {
                        error(ptr, "no list named '" + e.getKey() + "'" + hint(e.getKey(), library.lists.keySet()));
                        return;
                    }
                    checkKeys(e.getValue(), ptr, Set.of("append", "replace"), "list override");
                    if (e.getValue().get("append") != null) {
                        List<String> items = operandsNoLists(e.getValue().get("append"), ptr + "/append");
                        if (items != null) {
                            current.addAll(items);
                        }
                    }
                    if (e.getValue().get("replace") != null) {
                        List<String> items = operandsNoLists(e.getValue().get("replace"), ptr + "/replace");
                        if (items != null) {
                            current.clear();
                            current.addAll(items);
                        }
                    }
                });
            }
        }
        JsonNode patterns = node.get("patterns");
        if (patterns != null) {
            if (!patterns.isObject()) {
                error("/patterns", "patterns maps a pattern id to {enabled, severity, exceptions}");
            } else {
                patterns.fields().forEachRemaining(e -> {
                    String ptr = "/patterns/" + escape(e.getKey());
                    checkKeys(e.getValue(), ptr, Set.of("enabled", "severity", "exceptions"), "pattern override");
                    if (library.overrides.putIfAbsent(e.getKey(), new PatternOverride(file, doc, ptr)) != null) {
                        error(ptr, "pattern '" + e.getKey() + "' is overridden twice");
                    }
                });
            }
        }
    }

    private static String hint(String word, Collection<String> candidates) {
        String near = Suggestions.closest(word, candidates);
        return near == null ? "" : "; did you mean '" + near + "'?";
    }

    /** The compiled condition of macro {@code name}, or null (with an error) when it is unknown or cyclic. */
    private Condition macro(String name, String usePtr) {
        Condition done = library.compiledMacros.get(name);
        if (done != null) {
            return done;
        }
        MacroSource src = library.macros.get(name);
        if (src == null) {
            error(usePtr, "no macro named '" + name + "'" + hint(name, library.macros.keySet()));
            return null;
        }
        if (!library.compiling.add(name)) {
            error(usePtr, "macro cycle: " + String.join(" -> ", library.compiling) + " -> " + name);
            return null;
        }
        Condition[] out = new Condition[1];
        try {
            inFile(src.file, src.doc, () -> {
                JsonNode where = src.doc.root().get("where");
                if (where != null) {
                    out[0] = condition(where, "/where");
                }
            });
        } finally {
            library.compiling.remove(name);
        }
        if (out[0] != null) {
            out[0] = new MemoizedCondition(out[0]);
            library.compiledMacros.put(name, out[0]);
        }
        return out[0];
    }

    /** Loads one pattern from YAML text; {@code name} is used in problem locations. */
    public static Result loadText(String name, String yaml) {
        PatternLoader loader = new PatternLoader(Limits.DEFAULT);
        PatternDefinition def = loader.loadFile(name, yaml);
        return new Result(def == null ? List.of() : List.of(def), loader.problems);
    }

    private PatternDefinition loadFile(String name, String text) {
        this.file = name;
        int errorsBefore = errorCount();
        try {
            doc = LocatedYaml.parse(text);
        } catch (LocatedYaml.YamlException e) {
            problems.add(new PatternProblem(file, e.line, e.column, PatternProblem.Level.ERROR, e.getMessage()));
            return null;
        }
        JsonNode root = doc.root();
        if (!root.isObject()) {
            error("", "a pattern file must be a YAML mapping with id, title, severity and steps");
            return null;
        }
        checkKeys(root, "", TOP_KEYS, "pattern");
        String id = requiredText(root, "/id");
        if (id != null && !ID.matcher(id).matches()) {
            error("/id", "id '" + id + "' must be lower-case letters, digits and '-' (e.g. privileged-pod-then-exec)");
        }
        String title = requiredText(root, "/title");
        String description = optText(root, "/description");
        Severity severity = severity(root);
        String status = optText(root, "/status");
        if (status == null) {
            status = "experimental";
        } else if (!STATUSES.contains(status)) {
            error("/status", "status must be one of " + STATUSES);
        }
        List<String> tactics = textList(root, "/tactics");
        List<String> techniques = textList(root, "/techniques");
        for (int i = 0; i < techniques.size(); i++) {
            if (!TECHNIQUE.matcher(techniques.get(i)).matches()) {
                error("/techniques/" + i, "'" + techniques.get(i) + "' is not a MITRE ATT&CK technique id (T1234 or T1234.001)");
            }
        }
        List<String> references = textList(root, "/references");
        List<String> falsePositives = textList(root, "/falsePositives");
        String remediation = optText(root, "/remediation");
        String author = optText(root, "/author");
        Map<String, List<String>> equivalents = equivalents(root);

        List<StepDefinition> steps = steps(root);
        List<KeyField> key = keyFields(root.get("key"), "/key");
        boolean sequence = steps.size() > 1 || (steps.size() == 1 && steps.get(0).isLooping());
        if (sequence && key.isEmpty() && root.get("key") == null) {
            error("", "a sequence needs a correlation 'key' (e.g. key: [principal]) so that its steps belong together");
        }
        for (int i = 0; i < steps.size(); i++) {
            List<KeyField> override = steps.get(i).keyOverride;
            if (override != null) {
                Set<String> names = override.stream().map(k -> k.name).collect(Collectors.toCollection(LinkedHashSet::new));
                Set<String> expected = key.stream().map(k -> k.name).collect(Collectors.toCollection(LinkedHashSet::new));
                if (!names.equals(expected)) {
                    error("/steps/" + i + "/key", "a step's key must name the same fields as the pattern key " + expected
                            + ", found " + names);
                }
            }
        }
        Duration within = null;
        if (root.get("within") != null) {
            within = duration(root, "/within");
            if (within != null && (within.isZero() || within.isNegative())) {
                error("/within", "within must be positive");
            } else if (within != null && within.compareTo(limits.maxWindow) > 0) {
                error("/within", "within " + Durations.format(within) + " exceeds the maximum of "
                        + Durations.format(limits.maxWindow) + " (partial matches would be kept too long)");
            }
            if (!sequence) {
                warning("/within", "within has no effect on a single-step pattern");
            }
        } else if (sequence) {
            error("", "a sequence needs 'within' (e.g. within: 10m): without a window partial matches never expire");
        }
        if (within != null) {
            for (int i = 0; i < steps.size(); i++) {
                Duration gap = steps.get(i).maxGap;
                if (gap != null && gap.compareTo(within) > 0) {
                    error("/steps/" + i + "/maxGap", "maxGap " + Durations.format(gap) + " is longer than the window ("
                            + Durations.format(within) + "), so it can never apply");
                }
            }
        }
        PatternDefinition.AfterMatch afterMatch = PatternDefinition.AfterMatch.SKIP_PAST_LAST_EVENT;
        String am = optText(root, "/afterMatch");
        if (am != null) {
            afterMatch = null;
            for (PatternDefinition.AfterMatch a : PatternDefinition.AfterMatch.values()) {
                if (a.keyword.equals(am)) {
                    afterMatch = a;
                }
            }
            if (afterMatch == null) {
                error("/afterMatch", "afterMatch is skip-past-last-event (default: the first start wins, no overlaps),"
                        + " skip-to-next or no-skip");
                afterMatch = PatternDefinition.AfterMatch.SKIP_PAST_LAST_EVENT;
            }
        }
        List<StepDefinition> withExceptions = applyExceptions(root, id, steps);
        if (withExceptions != null) {
            steps = withExceptions;
        }
        PatternOverride override = id == null ? null : library.overrides.get(id);
        if (override != null) {
            JsonNode o = override.doc.root().at(override.ptr);
            Severity[] sev = {severity};
            inFile(override.file, override.doc, () -> {
                if (o.get("enabled") != null) {
                    if (!o.get("enabled").isBoolean()) {
                        error(override.ptr + "/enabled", "expected true or false");
                    } else if (!o.get("enabled").booleanValue()) {
                        disabled.add(id);
                    }
                }
                if (o.get("severity") != null) {
                    try {
                        sev[0] = Severity.valueOf(o.get("severity").asText().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        error(override.ptr + "/severity", "severity must be one of info, low, medium, high, critical");
                    }
                }
            });
            severity = sev[0];
        }
        AggregateSpec aggregate = aggregate(root, key);
        NewTermsSpec newTerms = newTerms(root, key);
        if (aggregate != null && newTerms != null) {
            error("/newTerms", "use either aggregate or newTerms");
        }
        Duration suppress = null;
        if (root.get("suppress") != null) {
            suppress = duration(root, "/suppress");
            if (suppress != null && (suppress.isZero() || suppress.isNegative() || suppress.compareTo(limits.maxWindow) > 0)) {
                error("/suppress", "suppress must be positive and at most " + Durations.format(limits.maxWindow));
            }
        }
        List<Escalation> escalations = escalations(root, steps);
        String level = requiredLevel(root, steps);
        SummaryTemplate summary = summary(root, steps, key);
        if (title != null) {
            template(root, "/title", steps, key);
        }
        List<PatternTestCase> tests = tests(root);
        if (errorCount() > errorsBefore) {
            return null;
        }
        return new PatternDefinition(id, title, description, severity, status, tactics, techniques, references,
                falsePositives, remediation, author, equivalents, level, key, within, steps, summary, afterMatch, aggregate,
                newTerms, suppress, escalations, tests, file);
    }

    // --- sections

    /**
     * Folds the pattern's own {@code exceptions} and a site override's into the step conditions: an event
     * that matches an exception does not satisfy the step(s) it names (all steps when it names none).
     */
    private List<StepDefinition> applyExceptions(JsonNode root, String id, List<StepDefinition> steps) {
        List<Object[]> found = new ArrayList<>(); // {stepName or null, Condition}
        readExceptions(root.get("exceptions"), "/exceptions", steps, found);
        PatternOverride override = id == null ? null : library.overrides.get(id);
        if (override != null) {
            JsonNode o = override.doc.root().at(override.ptr);
            inFile(override.file, override.doc, () -> readExceptions(o.get("exceptions"), override.ptr + "/exceptions", steps, found));
        }
        if (found.isEmpty()) {
            return null;
        }
        List<StepDefinition> out = new ArrayList<>();
        for (StepDefinition s : steps) {
            List<Condition> excluded = new ArrayList<>();
            for (Object[] e : found) {
                if (e[0] == null || e[0].equals(s.name)) {
                    excluded.add((Condition) e[1]);
                }
            }
            Condition where = excluded.isEmpty() ? s.where : new GroupCondition(GroupCondition.Mode.ALL,
                    List.of(s.where, new GroupCondition(GroupCondition.Mode.NONE, excluded)));
            out.add(new StepDefinition(s.name, where, s.keyOverride, s.contiguity, s.maxGap, s.minTimes, s.maxTimes,
                    s.optional, s.absent, s.joins));
        }
        return out;
    }

    private void readExceptions(JsonNode node, String ptr, List<StepDefinition> steps, List<Object[]> out) {
        if (node == null) {
            return;
        }
        if (!node.isArray()) {
            error(ptr, "exceptions is a list of {name, where, step?}");
            return;
        }
        Set<String> stepNames = steps.stream().map(st -> st.name).collect(Collectors.toSet());
        for (int i = 0; i < node.size(); i++) {
            String eptr = ptr + "/" + i;
            JsonNode e = node.get(i);
            if (!e.isObject()) {
                error(eptr, "an exception is a mapping {name, where, step?}");
                continue;
            }
            checkKeys(e, eptr, Set.of("name", "where", "step"), "exception");
            requiredText(e, eptr + "/name");
            String step = optText(e, eptr + "/step");
            if (step != null && !stepNames.contains(step)) {
                error(eptr + "/step", "no step named '" + step + "'" + hint(step, stepNames));
                continue;
            }
            if (e.get("where") == null) {
                error(eptr, "an exception needs 'where'");
                continue;
            }
            Condition c = condition(e.get("where"), eptr + "/where");
            if (c != null) {
                out.add(new Object[] {step, c});
            }
        }
    }

    private AggregateSpec aggregate(JsonNode root, List<KeyField> key) {
        JsonNode a = root.get("aggregate");
        if (a == null || !a.isObject()) {
            return null;
        }
        checkKeys(a, "/aggregate", Set.of("where", "window", "count", "distinct"), "aggregate");
        if (key.isEmpty()) {
            error("", "an aggregate counts per key: give a 'key' (e.g. key: {actor: principal})");
        }
        Duration window = a.get("window") == null ? null : duration(a, "/aggregate/window");
        if (window == null) {
            error("/aggregate", "aggregate needs a 'window' (e.g. window: 10m)");
            return null;
        }
        if (window.compareTo(limits.maxWindow) > 0 || window.isZero() || window.isNegative()) {
            error("/aggregate/window", "window must be positive and at most " + Durations.format(limits.maxWindow));
        }
        int minCount = 0;
        if (a.get("count") != null) {
            minCount = threshold(a.get("count"), "/aggregate/count");
        }
        FieldPath distinct = null;
        int minDistinct = 0;
        JsonNode d = a.get("distinct");
        if (d != null) {
            if (!d.isObject() || d.get("field") == null || d.get("gte") == null) {
                error("/aggregate/distinct", "distinct is {field: <path>, gte: N}: at least N different values of the field");
            } else {
                checkKeys(d, "/aggregate/distinct", Set.of("field", "gte"), "distinct");
                distinct = path(d.get("field").asText(), "/aggregate/distinct/field");
                minDistinct = threshold(d, "/aggregate/distinct");
            }
        }
        if (minCount == 0 && distinct == null) {
            error("/aggregate", "aggregate needs 'count: {gte: N}' and/or 'distinct: {field, gte: N}'");
        }
        return new AggregateSpec(window, minCount, distinct, minDistinct);
    }

    /** {gte: N} with 2 <= N <= limits.maxThreshold. */
    private int threshold(JsonNode node, String ptr) {
        JsonNode gte = node.get("gte");
        if (node.isObject() && node.get("field") == null) {
            checkKeys(node, ptr, Set.of("gte"), "threshold");
        }
        if (gte == null || !gte.isIntegralNumber() || gte.intValue() < 1 || gte.intValue() > limits.maxThreshold) {
            error(ptr, "expected {gte: N} with N from 1 to " + limits.maxThreshold);
            return 0;
        }
        return gte.intValue();
    }


    private NewTermsSpec newTerms(JsonNode root, List<KeyField> key) {
        JsonNode n = root.get("newTerms");
        if (n == null || !n.isObject()) {
            return null;
        }
        checkKeys(n, "/newTerms", Set.of("where", "fields", "learning"), "newTerms");
        if (key.isEmpty()) {
            error("", "new terms are learned per key: give a 'key' (e.g. key: {account: principal})");
        }
        List<FieldPath> fields = new ArrayList<>();
        JsonNode f = n.get("fields");
        if (f == null || !f.isArray() || f.isEmpty()) {
            error("/newTerms", "newTerms needs 'fields': the values whose combination must be new");
        } else {
            for (int i = 0; i < f.size(); i++) {
                FieldPath p = path(f.get(i).asText(), "/newTerms/fields/" + i);
                if (p != null) {
                    fields.add(p);
                }
            }
        }
        Duration learning = n.get("learning") == null ? null : duration(n, "/newTerms/learning");
        if (learning == null) {
            error("/newTerms", "newTerms needs 'learning': how long a key is observed before new terms alert (e.g. 7d)");
            return null;
        }
        if (learning.compareTo(Duration.ofDays(90)) > 0) {
            error("/newTerms/learning", "learning is at most 90d");
        }
        return new NewTermsSpec(fields, learning);
    }

    private List<Escalation> escalations(JsonNode root, List<StepDefinition> steps) {
        List<Escalation> out = new ArrayList<>();
        JsonNode e = root.get("escalate");
        if (e == null) {
            return out;
        }
        if (!e.isArray()) {
            error("/escalate", "escalate is a list of {severity, when: {step?, where}}");
            return out;
        }
        Set<String> names = steps.stream().map(st -> st.name).collect(Collectors.toSet());
        for (int i = 0; i < e.size(); i++) {
            String ptr = "/escalate/" + i;
            JsonNode item = e.get(i);
            if (!item.isObject()) {
                error(ptr, "an escalation is {severity, when: {step?, where}}");
                continue;
            }
            checkKeys(item, ptr, Set.of("severity", "when"), "escalation");
            Severity sev = null;
            String s = requiredText(item, ptr + "/severity");
            if (s != null) {
                try {
                    sev = Severity.valueOf(s.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ex) {
                    error(ptr + "/severity", "severity must be one of info, low, medium, high, critical");
                }
            }
            JsonNode when = item.get("when");
            if (when == null || !when.isObject() || when.get("where") == null) {
                error(ptr, "an escalation needs when: {where: {...}} (and optionally step: <name>)");
                continue;
            }
            checkKeys(when, ptr + "/when", Set.of("step", "where"), "escalation condition");
            String step = optText(when, ptr + "/when/step");
            if (step != null && !names.contains(step)) {
                error(ptr + "/when/step", "no step named '" + step + "'" + hint(step, names));
                continue;
            }
            Condition c = condition(when.get("where"), ptr + "/when/where");
            if (sev != null && c != null) {
                out.add(new Escalation(sev, step, c));
            }
        }
        return out;
    }

    private Severity severity(JsonNode root) {
        String s = requiredText(root, "/severity");
        if (s == null) {
            return null;
        }
        try {
            return Severity.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error("/severity", "severity must be one of info, low, medium, high, critical");
            return null;
        }
    }

    private Map<String, List<String>> equivalents(JsonNode root) {
        JsonNode eq = root.get("equivalents");
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (eq == null) {
            return out;
        }
        if (!eq.isObject()) {
            error("/equivalents", "equivalents must map defender/falco/sigma/elastic to rule names");
            return out;
        }
        checkKeys(eq, "/equivalents", EQUIVALENT_KEYS, "equivalents");
        eq.fieldNames().forEachRemaining(k -> out.put(k, textList(eq, "/equivalents/" + k)));
        return out;
    }

    private List<StepDefinition> steps(JsonNode root) {
        List<StepDefinition> out = new ArrayList<>();
        JsonNode steps = root.get("steps");
        JsonNode where = root.get("where");
        for (String form : List.of("aggregate", "newTerms")) {
            JsonNode f = root.get(form);
            if (f == null) {
                continue;
            }
            if (steps != null || where != null) {
                error("/" + form, "use one of 'where', 'steps', 'aggregate' or 'newTerms'");
                return out;
            }
            if (!f.isObject() || f.get("where") == null) {
                error("/" + form, form + " needs 'where': the events it counts");
                return out;
            }
            Condition c = condition(f.get("where"), "/" + form + "/where");
            if (c != null) {
                out.add(new StepDefinition("event", c, null));
            }
            return out;
        }
        if (steps != null && where != null) {
            error("/where", "use either 'where' (single-event pattern) or 'steps' (sequence), not both");
            return out;
        }
        if (where != null) {
            Condition c = condition(where, "/where");
            if (c != null) {
                out.add(new StepDefinition("event", c, null));
            }
            return out;
        }
        if (steps == null) {
            error("", "a pattern needs 'where' (one event) or 'steps' (a sequence)");
            return out;
        }
        if (!steps.isArray() || steps.isEmpty()) {
            error("/steps", "steps must be a non-empty list");
            return out;
        }
        if (steps.size() > 32) {
            error("/steps", "a pattern may have at most 32 steps");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            String ptr = "/steps/" + i;
            JsonNode step = steps.get(i);
            if (!step.isObject()) {
                error(ptr, "a step must be a mapping with name and where");
                continue;
            }
            checkKeys(step, ptr, STEP_KEYS, "step");
            String name = requiredText(step, ptr + "/name");
            if (name != null && !NAME.matcher(name).matches()) {
                error(ptr + "/name", "step name '" + name + "' must be lower-case letters, digits and '_'");
            } else if (name != null && !names.add(name)) {
                error(ptr + "/name", "step name '" + name + "' is used twice");
            }
            JsonNode w = step.get("where");
            Condition c = null;
            if (w == null) {
                error(ptr, "step '" + name + "' needs a 'where' condition");
            } else {
                c = condition(w, ptr + "/where");
            }
            List<KeyField> key = step.get("key") == null ? null : keyFields(step.get("key"), ptr + "/key");
            StepDefinition.Contiguity contiguity = contiguity(step, ptr, i);
            Duration maxGap = null;
            if (step.get("maxGap") != null) {
                maxGap = duration(step, ptr + "/maxGap");
                if (i == 0) {
                    error(ptr + "/maxGap", "the first step has no previous step to measure a gap from");
                } else if (maxGap != null && (maxGap.isZero() || maxGap.isNegative())) {
                    error(ptr + "/maxGap", "maxGap must be positive");
                }
            }
            int[] times = repetitions(step, ptr);
            boolean optional = bool(step, ptr + "/optional");
            boolean absent = bool(step, ptr + "/absent");
            if (absent) {
                if (i == 0) {
                    error(ptr + "/absent", "a pattern cannot start with an absent step: absence is measured after something happened");
                } else if (times[0] != 1 || times[1] != 1 || optional) {
                    error(ptr + "/absent", "an absent step cannot repeat or be optional");
                } else if (!out.isEmpty() && out.get(out.size() - 1).absent) {
                    error(ptr + "/absent", "two absent steps in a row; combine their conditions with 'any'");
                } else if (!out.isEmpty() && out.get(out.size() - 1).optional) {
                    error(ptr + "/absent", "an absent step cannot follow an optional step (Flink CEP cannot compile it)");
                }
                if (contiguity == StepDefinition.Contiguity.ANY) {
                    error(ptr + "/then", "an absent step follows with 'relaxed' (not followed by) or 'strict' (not next)");
                }
            }
            List<Join> joins = joins(step.get("join"), ptr + "/join", out);
            if (name != null && c != null) {
                out.add(new StepDefinition(name, c, key, contiguity, maxGap, times[0], times[1], optional, absent, joins));
            }
        }
        if (!out.isEmpty() && out.get(0).optional && out.size() > 1) {
            error("/steps/0/optional", "the first step of a sequence cannot be optional");
        }
        return out;
    }

    private StepDefinition.Contiguity contiguity(JsonNode step, String ptr, int index) {
        String then = optText(step, ptr + "/then");
        if (then == null) {
            return StepDefinition.Contiguity.RELAXED;
        }
        if (index == 0) {
            error(ptr + "/then", "the first step has no previous step to follow");
            return StepDefinition.Contiguity.RELAXED;
        }
        switch (then) {
            case "relaxed":
                return StepDefinition.Contiguity.RELAXED;
            case "strict":
                warning(ptr + "/then", "'then: strict' means the very next event of the key, so this pattern sees every"
                        + " keyed event, not only those that satisfy its steps; keep its key narrow");
                return StepDefinition.Contiguity.STRICT;
            case "any":
                warning(ptr + "/then", "'then: any' keeps every combination of earlier events (followedByAny):"
                        + " partial matches can grow quadratically; prefer 'relaxed'");
                return StepDefinition.Contiguity.ANY;
            default:
                error(ptr + "/then", "then is relaxed (other events may come between; default), strict (the very next"
                        + " event of the key) or any");
                return StepDefinition.Contiguity.RELAXED;
        }
    }

    /** [min, max] repetitions from times / atLeast / atMost. */
    private int[] repetitions(JsonNode step, String ptr) {
        JsonNode times = step.get("times");
        JsonNode atLeast = step.get("atLeast");
        JsonNode atMost = step.get("atMost");
        if (times != null) {
            if (atLeast != null || atMost != null) {
                error(ptr + "/times", "use either times or atLeast/atMost");
                return new int[] {1, 1};
            }
            int n = positiveInt(times, ptr + "/times");
            return new int[] {n, n};
        }
        if (atLeast == null && atMost == null) {
            return new int[] {1, 1};
        }
        if (atMost == null) {
            error(ptr + "/atLeast", "atLeast needs an upper bound atMost (an unbounded loop keeps state without limit)");
            return new int[] {1, 1};
        }
        int min = atLeast == null ? 1 : positiveInt(atLeast, ptr + "/atLeast");
        int max = positiveInt(atMost, ptr + "/atMost");
        if (max < min) {
            error(ptr + "/atMost", "atMost must be at least atLeast");
            return new int[] {1, 1};
        }
        return new int[] {min, max};
    }

    private int positiveInt(JsonNode v, String ptr) {
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 1) {
            error(ptr, "expected a whole number of at least 1");
            return 1;
        }
        if (v.intValue() > limits.maxRepetitions) {
            error(ptr, v.intValue() + " repetitions exceed the limit of " + limits.maxRepetitions);
            return 1;
        }
        return v.intValue();
    }

    private boolean bool(JsonNode parent, String ptr) {
        JsonNode v = at(ptr);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            error(ptr, "expected true or false");
            return false;
        }
        return v.booleanValue();
    }

    /** join: {<path of this step's event>: <earlier step>.<path>} */
    private List<Join> joins(JsonNode node, String ptr, List<StepDefinition> earlier) {
        List<Join> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            error(ptr, "join maps a field of this step to <earlier step>.<field>, e.g. {requestObject.roleRef.name: role.objectName}");
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String child = ptr + "/" + escape(e.getKey());
            FieldPath left = pathAtKey(e.getKey(), child);
            if (!e.getValue().isTextual()) {
                error(child, "expected <earlier step>.<field>");
                continue;
            }
            String ref = e.getValue().textValue();
            if (ref.startsWith("steps.")) {
                ref = ref.substring("steps.".length());
            }
            int dot = ref.indexOf('.');
            if (dot <= 0) {
                error(child, "expected <earlier step>.<field>, e.g. role.objectName");
                continue;
            }
            String stepName = ref.substring(0, dot);
            StepDefinition target = earlier.stream().filter(s -> s.name.equals(stepName)).findFirst().orElse(null);
            if (target == null) {
                error(child, "no earlier step named '" + stepName + "' (a join can only look back)");
                continue;
            }
            if (target.absent) {
                error(child, "step '" + stepName + "' is absent: there is no event to join with");
                continue;
            }
            FieldPath right = path(ref.substring(dot + 1), child);
            if (left != null && right != null) {
                out.add(new Join(left, stepName, right));
            }
        }
        return out;
    }

    private List<KeyField> keyFields(JsonNode node, String ptr) {
        List<KeyField> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isTextual()) {
            FieldPath p = path(node.textValue(), ptr);
            if (p != null) {
                out.add(new KeyField(node.textValue(), p));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (!item.isTextual()) {
                    error(ptr + "/" + i, "key fields are field paths");
                    continue;
                }
                FieldPath p = path(item.textValue(), ptr + "/" + i);
                if (p != null) {
                    out.add(new KeyField(item.textValue(), p));
                }
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = ptr + "/" + escape(e.getKey());
                if (!e.getValue().isTextual()) {
                    error(child, "key '" + e.getKey() + "' must name a field path");
                    continue;
                }
                FieldPath p = path(e.getValue().textValue(), child);
                if (p != null) {
                    out.add(new KeyField(e.getKey(), p));
                }
            }
        } else {
            error(ptr, "key must be a field path, a list of paths, or a mapping of names to paths");
        }
        return out;
    }

    private String requiredLevel(JsonNode root, List<StepDefinition> steps) {
        Set<FieldPath> paths = new HashSet<>();
        steps.forEach(s -> s.where.collectPaths(paths));
        String inferred = "Metadata";
        for (FieldPath p : paths) {
            if (p.readsBody()) {
                inferred = p.toString().startsWith("responseObject") ? "RequestResponse"
                        : ("Metadata".equals(inferred) ? "Request" : inferred);
            }
        }
        JsonNode requires = root.get("requires");
        if (requires == null) {
            return inferred;
        }
        if (!requires.isObject()) {
            error("/requires", "requires must be a mapping, e.g. requires: {auditLevel: Request}");
            return inferred;
        }
        checkKeys(requires, "/requires", Set.of("auditLevel"), "requires");
        String declared = optText(requires, "/requires/auditLevel");
        if (declared == null) {
            return inferred;
        }
        if (!LEVELS.contains(declared)) {
            error("/requires/auditLevel", "auditLevel must be Metadata, Request or RequestResponse");
            return inferred;
        }
        List<String> order = List.of("Metadata", "Request", "RequestResponse");
        if (order.indexOf(declared) < order.indexOf(inferred)) {
            error("/requires/auditLevel", "the conditions read fields that exist only at level " + inferred
                    + " or above, but the pattern declares " + declared);
        }
        return declared;
    }

    private SummaryTemplate summary(JsonNode root, List<StepDefinition> steps, List<KeyField> key) {
        return template(root, "/summary", steps, key);
    }

    /** Parses and checks a template at {@code ptr}: every placeholder names a key field or a step and a valid field. */
    private SummaryTemplate template(JsonNode root, String ptr, List<StepDefinition> steps, List<KeyField> key) {
        String text = optText(root, ptr);
        if (text == null) {
            return null;
        }
        SummaryTemplate t;
        try {
            t = SummaryTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            error(ptr, e.getMessage());
            return null;
        }
        Set<String> keyNames = key.stream().map(k -> k.name).collect(Collectors.toSet());
        Set<String> stepNames = steps.stream().map(s -> s.name).collect(Collectors.toSet());
        boolean counting = root.get("aggregate") != null || root.get("newTerms") != null;
        for (SummaryTemplate.Part p : t.placeholders()) {
            if (p.scope.equals("match")) {
                if (!counting || !Set.of("count", "distinct", "term").contains(p.ref)) {
                    error(ptr, "{{match." + p.ref + "}}: match.count, match.distinct and match.term exist for aggregate and newTerms patterns");
                }
            } else if (p.scope.equals("key")) {
                if (!keyNames.contains(p.ref)) {
                    error(ptr, "{{key." + p.ref + "}}: the key has no field '" + p.ref + "' (fields: " + keyNames + ")");
                }
            } else if (!stepNames.contains(p.scope)) {
                error(ptr, "{{steps." + p.scope + "." + p.ref + "}}: no step named '" + p.scope + "' (steps: " + stepNames + ")");
            } else {
                path(p.ref, ptr);
            }
        }
        return t;
    }

    private List<PatternTestCase> tests(JsonNode root) {
        List<PatternTestCase> out = new ArrayList<>();
        JsonNode tests = root.get("tests");
        if (tests == null) {
            return out;
        }
        if (!tests.isArray()) {
            error("/tests", "tests must be a list");
            return out;
        }
        for (int i = 0; i < tests.size(); i++) {
            String ptr = "/tests/" + i;
            JsonNode test = tests.get(i);
            if (!test.isObject()) {
                error(ptr, "a test is a mapping with name, events and expect");
                continue;
            }
            checkKeys(test, ptr, TEST_KEYS, "test");
            String name = requiredText(test, ptr + "/name");
            JsonNode events = test.get("events");
            List<PatternTestCase.TimedEvent> timeline = new ArrayList<>();
            if (events == null || !events.isArray() || events.isEmpty()) {
                error(ptr, "a test needs a non-empty 'events' list");
            } else {
                for (int j = 0; j < events.size(); j++) {
                    String eptr = ptr + "/events/" + j;
                    JsonNode ev = events.get(j);
                    if (!ev.isObject()) {
                        error(eptr, "a test event is a mapping of audit event fields (plus 'at: 30s')");
                        continue;
                    }
                    ObjectNode copy = ((ObjectNode) ev).deepCopy();
                    JsonNode fixture = copy.remove("fixture");
                    if (fixture != null) {
                        ObjectNode base = fixture(fixture, eptr + "/fixture");
                        if (base == null) {
                            continue;
                        }
                        copy = merge(base, copy);
                    }
                    Duration at = Duration.ZERO;
                    JsonNode atNode = copy.remove("at");
                    if (atNode != null) {
                        at = duration(ev, eptr + "/at");
                        if (at == null) {
                            at = Duration.ZERO;
                        }
                    }
                    timeline.add(new PatternTestCase.TimedEvent(at, copy));
                }
            }
            JsonNode expect = test.get("expect");
            int alerts = 0;
            PatternTestCase.AlertExpectation first = null;
            if (expect == null || !expect.isObject() || expect.get("alerts") == null || !expect.get("alerts").canConvertToInt()) {
                error(ptr, "a test needs 'expect: {alerts: N}' (0 for a quiet test)");
            } else {
                String eptr = ptr + "/expect";
                checkKeys(expect, eptr, Set.of("alerts", "severity", "title", "summaryContains", "key", "evidence"), "expect");
                alerts = expect.get("alerts").intValue();
                if (expect.size() > 1) {
                    if (alerts == 0) {
                        error(eptr, "alert checks need a test that expects alerts");
                    }
                    Map<String, String> key = null;
                    if (expect.get("key") != null) {
                        key = new LinkedHashMap<>();
                        if (!expect.get("key").isObject()) {
                            error(eptr + "/key", "key is a mapping of key field names to values");
                        } else {
                            Map<String, String> k = key;
                            expect.get("key").fields().forEachRemaining(f -> k.put(f.getKey(), f.getValue().asText()));
                        }
                    }
                    List<Integer> evidence = null;
                    if (expect.get("evidence") != null) {
                        evidence = new ArrayList<>();
                        JsonNode ev = expect.get("evidence");
                        for (int j = 0; ev.isArray() && j < ev.size(); j++) {
                            if (!ev.get(j).canConvertToInt() || ev.get(j).intValue() < 0 || ev.get(j).intValue() >= timeline.size()) {
                                error(eptr + "/evidence/" + j, "evidence lists positions (0-based) of this test's events");
                            } else {
                                evidence.add(ev.get(j).intValue());
                            }
                        }
                        if (!ev.isArray()) {
                            error(eptr + "/evidence", "evidence lists positions (0-based) of this test's events, e.g. [0, 2]");
                        }
                    }
                    String sev = optText(expect, eptr + "/severity");
                    if (sev != null && !Set.of("info", "low", "medium", "high", "critical").contains(sev)) {
                        error(eptr + "/severity", "severity must be one of info, low, medium, high, critical");
                    }
                    first = new PatternTestCase.AlertExpectation(sev, optText(expect, eptr + "/title"),
                            optText(expect, eptr + "/summaryContains"), key, evidence);
                }
            }
            int[] loc = doc.locate(ptr);
            if (name != null) {
                out.add(new PatternTestCase(name, timeline, alerts, first, file + ":" + loc[0]));
            }
        }
        return out;
    }

    /** Reads a fixture event from the pack's tests/ folder (JSON or YAML). */
    private ObjectNode fixture(JsonNode name, String ptr) {
        if (!name.isTextual()) {
            error(ptr, "fixture names a file under cep-patterns/tests/");
            return null;
        }
        if (libraryRootDir == null) {
            error(ptr, "fixtures live in the pattern directory's tests/ folder; load the pattern from its directory");
            return null;
        }
        Path dir = libraryRootDir.resolve("tests").normalize();
        Path f = dir.resolve(name.textValue()).normalize();
        if (!f.startsWith(dir)) {
            error(ptr, "fixture '" + name.textValue() + "' is outside cep-patterns/tests/");
            return null;
        }
        if (!Files.isRegularFile(f)) {
            error(ptr, "no fixture file " + f);
            return null;
        }
        try {
            JsonNode node = name.textValue().endsWith(".json")
                    ? io.chainwatch.ingest.JsonSupport.mapper().readTree(Files.readString(f, StandardCharsets.UTF_8))
                    : LocatedYaml.parse(Files.readString(f, StandardCharsets.UTF_8)).root();
            if (!node.isObject()) {
                error(ptr, "fixture " + f + " must hold one audit event object");
                return null;
            }
            return (ObjectNode) node;
        } catch (IOException | LocatedYaml.YamlException e) {
            error(ptr, "fixture " + f + " is not readable: " + e.getMessage());
            return null;
        }
    }

    /** {@code over} laid over {@code base}: objects merge recursively, anything else replaces. */
    private static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode out = base.deepCopy();
        over.fields().forEachRemaining(e -> {
            JsonNode existing = out.get(e.getKey());
            if (existing instanceof ObjectNode && e.getValue() instanceof ObjectNode) {
                out.set(e.getKey(), merge((ObjectNode) existing, (ObjectNode) e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    // --- conditions

    private Condition condition(JsonNode node, String ptr) {
        if (!node.isObject() || node.isEmpty()) {
            error(ptr, "a condition is a mapping of field paths to values (or all/any/none/not groups)");
            return null;
        }
        List<Condition> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            String child = ptr + "/" + escape(k);
            JsonNode v = e.getValue();
            Condition c;
            if (GROUP_KEYS.contains(k)) {
                c = group(k, v, child);
            } else {
                c = fieldCondition(k, v, child);
            }
            if (c != null) {
                parts.add(c);
            }
        }
        return parts.size() == 1 ? parts.get(0) : new GroupCondition(GroupCondition.Mode.ALL, parts);
    }

    private Condition group(String keyword, JsonNode v, String ptr) {
        if (keyword.equals("macro")) {
            List<String> names = new ArrayList<>();
            if (v.isTextual()) {
                names.add(v.textValue());
            } else if (v.isArray()) {
                v.forEach(n -> names.add(n.asText()));
            } else {
                error(ptr, "macro takes a macro name or a list of names (all must hold)");
                return null;
            }
            List<Condition> members = new ArrayList<>();
            for (String n : names) {
                Condition c = macro(n, ptr);
                if (c != null) {
                    members.add(new MacroCondition(n, c));
                }
            }
            return members.size() == 1 ? members.get(0) : new GroupCondition(GroupCondition.Mode.ALL, members);
        }
        if (keyword.equals("not")) {
            Condition inner = condition(v, ptr);
            return inner == null ? null : new NotCondition(inner);
        }
        List<Condition> members = new ArrayList<>();
        if (v.isArray()) {
            if (v.isEmpty()) {
                error(ptr, "'" + keyword + "' needs at least one condition");
                return null;
            }
            for (int i = 0; i < v.size(); i++) {
                Condition c = condition(v.get(i), ptr + "/" + i);
                if (c != null) {
                    members.add(c);
                }
            }
        } else if (v.isObject()) {
            // A mapping under any/none: each entry is one alternative.
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = ptr + "/" + escape(e.getKey());
                Condition c = GROUP_KEYS.contains(e.getKey()) ? group(e.getKey(), e.getValue(), child)
                        : fieldCondition(e.getKey(), e.getValue(), child);
                if (c != null) {
                    members.add(c);
                }
            }
        } else {
            error(ptr, "'" + keyword + "' takes a list of conditions");
            return null;
        }
        GroupCondition.Mode mode = GroupCondition.Mode.valueOf(keyword.toUpperCase(Locale.ROOT));
        return new GroupCondition(mode, members);
    }

    private Condition fieldCondition(String pathText, JsonNode v, String ptr) {
        FieldPath path = pathAtKey(pathText, ptr);
        if (path == null) {
            return null;
        }
        if (v.isValueNode() && !v.isNull()) {
            List<String> operands = operands(v, ptr);
            if (operands == null || !typeFits(path, operands, ptr)) {
                return null;
            }
            return new FieldCondition(path, List.of(new FieldCondition.Test(Operator.EQUALS, operands, false)),
                    null, FieldCondition.Quantifier.ANY);
        }
        if (v.isArray()) {
            List<String> operands = operands(v, ptr);
            if (operands == null || !typeFits(path, operands, ptr)) {
                return null;
            }
            return new FieldCondition(path, List.of(new FieldCondition.Test(Operator.EQUALS, operands, false)),
                    null, FieldCondition.Quantifier.ANY);
        }
        if (!v.isObject()) {
            error(ptr, "'" + pathText + "' needs a value, a list of values, or operators such as {prefix: ...}");
            return null;
        }
        return operatorCondition(path, v, ptr);
    }

    private Condition operatorCondition(FieldPath path, JsonNode ops, String ptr) {
        checkKeys(ops, ptr, OP_KEYS, "operator");
        boolean ignoreCase = false;
        if (ops.get("ignoreCase") != null) {
            if (!ops.get("ignoreCase").isBoolean()) {
                error(ptr + "/ignoreCase", "ignoreCase is true or false");
            } else {
                ignoreCase = ops.get("ignoreCase").booleanValue();
            }
        }
        FieldCondition.Quantifier quantifier = FieldCondition.Quantifier.ANY;
        String match = optText(ops, ptr + "/match");
        if (match != null) {
            if (match.equals("all")) {
                quantifier = FieldCondition.Quantifier.ALL;
            } else if (!match.equals("any")) {
                error(ptr + "/match", "match is 'any' (default: some value matches) or 'all' (every value matches)");
            }
        }
        Boolean exists = null;
        if (ops.get("exists") != null) {
            if (!ops.get("exists").isBoolean()) {
                error(ptr + "/exists", "exists is true or false");
            } else {
                exists = ops.get("exists").booleanValue();
            }
        }
        List<FieldCondition.Test> tests = new ArrayList<>();
        for (Operator op : Operator.values()) {
            JsonNode operand = op == Operator.EQUALS && ops.get("in") != null ? ops.get("in") : ops.get(op.keyword);
            String optr = ptr + "/" + (op == Operator.EQUALS && ops.get("in") != null ? "in" : op.keyword);
            if (operand == null) {
                continue;
            }
            if (op == Operator.EQUALS && ops.get("in") != null && ops.get("equals") != null) {
                error(ptr, "use either equals or in");
                continue;
            }
            List<String> values = operands(operand, optr);
            if (values == null) {
                continue;
            }
            if (op.isNumeric()) {
                if (values.size() != 1 || Double.isNaN(Values.number(values.get(0)))) {
                    error(optr, op.keyword + " takes one number");
                    continue;
                }
                if (path.type() == FieldPath.Type.STRING || path.type() == FieldPath.Type.STRING_LIST) {
                    error(optr, "'" + path + "' is a string field; " + op.keyword + " compares numbers");
                    continue;
                }
            }
            if (op.isText() && path.type() == FieldPath.Type.INTEGER) {
                warning(optr, "'" + path + "' is a number; " + op.keyword + " compares its decimal text");
            }
            try {
                tests.add(new FieldCondition.Test(op, values, ignoreCase));
            } catch (IllegalArgumentException | com.google.re2j.PatternSyntaxException e) {
                error(optr, (op == Operator.REGEX ? "invalid RE2 regular expression: " : "") + e.getMessage());
            }
        }
        JsonNode not = ops.get("not");
        Condition negated = null;
        if (not != null) {
            if (!not.isObject() && !not.isValueNode() && !not.isArray()) {
                error(ptr + "/not", "not takes a value, a list or operators");
            } else {
                Condition inner = not.isObject() ? operatorCondition(path, not, ptr + "/not")
                        : fieldCondition(path.toString(), not, ptr + "/not");
                negated = inner == null ? null : new NotCondition(inner);
            }
        }
        if (tests.isEmpty() && exists == null && negated == null) {
            error(ptr, "no operator given for '" + path + "' (operators: " + OP_KEYS + ")");
            return null;
        }
        Condition positive = tests.isEmpty() && exists == null ? null : new FieldCondition(path, tests, exists, quantifier);
        if (positive == null) {
            return negated;
        }
        return negated == null ? positive : new GroupCondition(GroupCondition.Mode.ALL, List.of(positive, negated));
    }

    /** Plain values (list files): no list references inside lists. */
    private List<String> operandsNoLists(JsonNode v, String ptr) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isValueNode() || item.isNull()) {
                    error(ptr + "/" + i, "list items must be plain values");
                    return null;
                }
                out.add(scalar(item));
            }
            return out;
        }
        error(ptr, "expected a list of values");
        return null;
    }

    /**
     * Operand values; a string {@code $name} stands for every item of list {@code name} ({@code $$} for a
     * literal leading dollar).
     */
    /** Values compared with an integer field must be integers: anything else is an error, not a silent miss. */
    private boolean typeFits(FieldPath path, List<String> operands, String ptr) {
        if (path.type() != FieldPath.Type.INTEGER) {
            return true;
        }
        for (String o : operands) {
            if (!o.matches("-?\\d+")) {
                error(ptr, "'" + path + "' is an integer field; '" + o + "' can never equal it");
                return false;
            }
        }
        return true;
    }

    private List<String> operands(JsonNode v, String ptr) {
        List<String> raw = operandsRaw(v, ptr);
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String item : raw) {
            if (item.startsWith("$$")) {
                out.add(item.substring(1));
            } else if (item.startsWith("$") && item.length() > 1) {
                String name = item.substring(1);
                List<String> items = library.lists.get(name);
                if (items == null) {
                    error(ptr, "no list named '" + name + "'" + hint(name, library.lists.keySet())
                            + " (lists live in cep-patterns/lists/; write $$ for a literal '$')");
                    return null;
                }
                out.addAll(items);
            } else {
                out.add(item);
            }
        }
        if (out.isEmpty()) {
            error(ptr, "the referenced lists are empty: the condition could never match");
            return null;
        }
        return out;
    }

    private List<String> operandsRaw(JsonNode v, String ptr) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            if (v.isEmpty()) {
                error(ptr, "an empty list matches nothing");
                return null;
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isValueNode() || item.isNull()) {
                    error(ptr + "/" + i, "list items must be plain values");
                    return null;
                }
                out.add(scalar(item));
            }
            return out;
        }
        if (!v.isValueNode() || v.isNull()) {
            error(ptr, "expected a value or a list of values");
            return null;
        }
        out.add(scalar(v));
        return out;
    }

    private static String scalar(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            return Long.toString(v.longValue());
        }
        if (v.isNumber()) {
            return Values.text(v.doubleValue());
        }
        return v.asText();
    }

    // --- helpers

    private FieldPath path(String text, String ptr) {
        try {
            return FieldPath.parse(text);
        } catch (IllegalArgumentException e) {
            error(ptr, e.getMessage());
            return null;
        }
    }

    /**
     * A field path written as a condition key. A path outside the audit schema is a warning (the condition can
     * never match), a malformed one an error.
     */
    private FieldPath pathAtKey(String text, String ptr) {
        try {
            return FieldPath.parse(text);
        } catch (IllegalArgumentException e) {
            int[] loc = doc.locateKey(ptr);
            boolean unknown = e.getMessage().startsWith("unknown field");
            problems.add(new PatternProblem(file, loc[0], loc[1],
                    unknown ? PatternProblem.Level.WARNING : PatternProblem.Level.ERROR,
                    unknown ? e.getMessage() + "; a condition on it never matches" : e.getMessage()));
            return unknown ? FieldPath.unknown(text) : null;
        }
    }

    private Duration duration(JsonNode parent, String ptr) {
        JsonNode v = at(ptr);
        if (v == null || !v.isTextual()) {
            error(ptr, "expected a duration such as 30s, 10m, 2h");
            return null;
        }
        try {
            return Durations.parse(v.textValue());
        } catch (IllegalArgumentException e) {
            error(ptr, e.getMessage());
            return null;
        }
    }

    private JsonNode at(String ptr) {
        JsonNode n = doc.root().at(ptr);
        return n.isMissingNode() ? null : n;
    }

    private String requiredText(JsonNode parent, String ptr) {
        JsonNode v = at(ptr);
        if (v == null) {
            String field = ptr.substring(ptr.lastIndexOf('/') + 1);
            error(ptr.substring(0, ptr.lastIndexOf('/')), "missing required '" + field + "'");
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            error(ptr, "expected non-empty text");
            return null;
        }
        return v.textValue();
    }

    private String optText(JsonNode parent, String ptr) {
        JsonNode v = at(ptr);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            error(ptr, "expected text");
            return null;
        }
        return v.textValue();
    }

    private List<String> textList(JsonNode parent, String ptr) {
        JsonNode v = at(ptr);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.textValue());
            return out;
        }
        if (!v.isArray()) {
            error(ptr, "expected a list of text");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                error(ptr + "/" + i, "expected text");
            } else {
                out.add(v.get(i).textValue());
            }
        }
        return out;
    }

    private void checkKeys(JsonNode node, String ptr, Set<String> allowed, String what) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!allowed.contains(k)) {
                String near = Suggestions.closest(k, allowed);
                int[] loc = doc.locateKey(ptr + "/" + escape(k));
                problems.add(new PatternProblem(file, loc[0], loc[1], PatternProblem.Level.ERROR,
                        "unknown " + what + " key '" + k + "'" + (near != null ? "; did you mean '" + near + "'?"
                                : " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")")));
            }
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private void error(String ptr, String message) {
        int[] loc = doc == null ? new int[] {1, 1} : doc.locate(ptr);
        problems.add(new PatternProblem(file, loc[0], loc[1], PatternProblem.Level.ERROR, message));
    }

    private void warning(String ptr, String message) {
        int[] loc = doc.locate(ptr);
        problems.add(new PatternProblem(file, loc[0], loc[1], PatternProblem.Level.WARNING, message));
    }

    private int errorCount() {
        return (int) problems.stream().filter(PatternProblem::isError).count();
    }
}
