package io.chainwatch.coverage;

import io.chainwatch.pattern.LocatedYaml;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternProblem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which chainwatch patterns cover which peer rules, according to the patterns' {@code equivalents}: one table per
 * {@link PeerSource}, with "covered N/M" counts, as terminal text or as Markdown (the content of
 * {@code cep-patterns/COVERAGE.md}). A rule is covered when at least one pattern names it.
 *
 * <p>A name in {@code equivalents} that the catalogue does not know is a {@link #problems() problem} located at
 * {@code file:line:column} of the pattern, so that a misspelt rule name cannot silently count as coverage.
 */
public final class CoverageReport {

    /** The command that writes {@code cep-patterns/COVERAGE.md}; named in its header. */
    public static final String GENERATE_COMMAND = "./chainwatch patterns coverage --markdown > cep-patterns/COVERAGE.md";

    /** One "covered N/M" count over the rules a predicate selects. */
    public record Metric(String label, int covered, int total) {
        /** Whole percent, rounded down so that 100% means complete; "-" for an empty set. */
        public String percent() {
            return total == 0 ? "-" : (covered * 100 / total) + "%";
        }

        @Override
        public String toString() {
            return covered + "/" + total + " " + label + " (" + percent() + ")";
        }
    }

    private record MetricDef(String label, Predicate<PeerRule> selects) {}

    private record Column(String header, Function<PeerRule, String> cell) {}

    private static final Map<PeerSource, List<MetricDef>> METRICS = Map.of(
            PeerSource.DEFENDER, List.of(
                    // what an audit-log detector can match: every rule-style and behavioural K8S_ alert
                    // (the behavioural ones retired in 2024 included), not those that need other data
                    new MetricDef("audit-log alerts (rule-style and behavioural)", r -> (PeerRule.RULE.equals(r.style)
                            || PeerRule.BEHAVIOURAL.equals(r.style)) && !"test".equals(r.status)),
                    new MetricDef("current alerts", PeerRule::isCurrent),
                    new MetricDef("current rule-style alerts", r -> r.isCurrent() && PeerRule.RULE.equals(r.style))),
            PeerSource.FALCO, List.of(
                    new MetricDef("enabled by default", r -> r.enabledByDefault),
                    new MetricDef("all rules", r -> true)),
            PeerSource.SIGMA, List.of(new MetricDef("all rules", r -> true)),
            PeerSource.ELASTIC, List.of(new MetricDef("all rules", r -> true)));

    private static final Map<PeerSource, String> NOTES = Map.of(
            PeerSource.DEFENDER, "Style: *rule* = one audit event is enough; *behavioural* = needs a learned baseline; "
                    + "*external* = needs data outside the audit log. Deprecated and test alerts are listed but not counted.",
            PeerSource.FALCO, "*Default* says whether the rule fires with the shipped lists and macros; "
                    + "the disabled ones need a user override first.",
            PeerSource.SIGMA, "Sigma rules are named by id in `equivalents`.",
            PeerSource.ELASTIC, "Rules from `rules/integrations/kubernetes/`; the cross-platform ones that also need "
                    + "Elastic Defend process events are not listed.");

    private final PeerRuleCatalog catalog;
    private final List<PatternDefinition> patterns;
    private final Path patternRoot;
    private final Map<PeerSource, Map<String, List<PatternDefinition>>> coveredBy = new EnumMap<>(PeerSource.class);
    private final List<PatternProblem> problems = new ArrayList<>();

    private CoverageReport(List<PatternDefinition> patterns, PeerRuleCatalog catalog, Path patternRoot) {
        this.catalog = catalog;
        this.patterns = patterns.stream().sorted(Comparator.comparing(p -> p.id)).collect(Collectors.toList());
        this.patternRoot = patternRoot == null ? null : patternRoot.toAbsolutePath().normalize();
    }

    /**
     * Builds the report.
     *
     * @param patternRoot the pattern file or directory the patterns were loaded from; Markdown links to pattern
     *                    files are relative to it (or to its directory, for a file)
     */
    public static CoverageReport build(List<PatternDefinition> patterns, PeerRuleCatalog catalog, Path patternRoot) {
        CoverageReport r = new CoverageReport(patterns, catalog, patternRoot);
        r.match();
        return r;
    }

    private void match() {
        for (PeerSource s : PeerSource.values()) {
            coveredBy.put(s, new HashMap<>());
        }
        List<PatternDefinition> byFile = new ArrayList<>(patterns);
        byFile.sort(Comparator.comparing((PatternDefinition p) -> String.valueOf(p.file)).thenComparing(p -> p.id));
        for (PatternDefinition p : byFile) {
            Locator locator = new Locator(p.file);
            for (String key : new TreeSet<>(p.equivalents.keySet())) {
                PeerSource source = PeerSource.forKey(key);
                if (source == null) {
                    problems.add(locator.problem("/equivalents/" + key, "unknown peer source '" + key
                            + "' in equivalents (known: defender, falco, sigma, elastic)"));
                    continue;
                }
                List<String> names = p.equivalents.get(key);
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    PeerRule rule = catalog.find(source, name);
                    if (rule == null) {
                        problems.add(locator.problem("/equivalents/" + key + "/" + i, unknownMessage(source, name)));
                        continue;
                    }
                    List<PatternDefinition> list = coveredBy.get(source).computeIfAbsent(rule.id, k -> new ArrayList<>());
                    if (!list.contains(p)) {
                        list.add(p);
                        list.sort(Comparator.comparing(d -> d.id));
                    }
                }
            }
        }
    }

    private String unknownMessage(PeerSource source, String name) {
        String base = "unknown " + source.key + " rule '" + name + "' in equivalents (not in the catalogue "
                + "coverage/" + source.fileName() + ")";
        for (PeerRule r : catalog.rules(source)) {
            if (r.title.equalsIgnoreCase(name.strip()) && !r.title.equals(r.id)) {
                return base + "; " + source.key + " equivalents name rules by id: '" + r.id + "' is '" + r.title + "'";
            }
            if (r.id.equalsIgnoreCase(name.strip())) {
                return base + "; did you mean '" + r.id + "'?";
            }
        }
        String near = io.chainwatch.pattern.Suggestions.closest(name, catalog.rules(source).stream().map(r -> r.id).collect(Collectors.toList()));
        if (near != null) {
            return base + "; did you mean '" + near + "'?";
        }
        for (PeerSource other : PeerSource.values()) {
            if (other != source && catalog.find(other, name) != null) {
                return base + "; '" + name + "' is a " + other.key + " rule";
            }
        }
        return base;
    }

    /** Unknown peer rules named in equivalents, as {@code file:line:column: error: message}. */
    public List<PatternProblem> problems() {
        return List.copyOf(problems);
    }

    public boolean hasErrors() {
        return !problems.isEmpty();
    }

    /** The ids of the patterns that name this rule, sorted; empty if none. */
    public List<String> coveredBy(PeerSource source, String ruleId) {
        return coveredBy.get(source).getOrDefault(ruleId, List.of()).stream().map(p -> p.id).collect(Collectors.toList());
    }

    /** The counts of a source: Defender current and current rule-style; Falco default-enabled and all; else all. */
    public List<Metric> metrics(PeerSource source) {
        List<Metric> out = new ArrayList<>();
        for (MetricDef def : METRICS.get(source)) {
            int total = 0;
            int covered = 0;
            for (PeerRule r : catalog.rules(source)) {
                if (def.selects.test(r)) {
                    total++;
                    if (coveredBy.get(source).containsKey(r.id)) {
                        covered++;
                    }
                }
            }
            out.add(new Metric(def.label, covered, total));
        }
        return out;
    }

    private String metricLine(PeerSource source) {
        return "covered " + metrics(source).stream().map(Metric::toString).collect(Collectors.joining(", "));
    }

    // --- rendering

    private List<Column> columns(PeerSource source, Function<PeerRule, String> covered) {
        switch (source) {
            case DEFENDER:
                return List.of(new Column("alert type", r -> r.id), new Column("title", r -> r.title),
                        new Column("status", r -> r.status), new Column("style", r -> r.style),
                        new Column("covered by", covered));
            case FALCO:
                return List.of(new Column("rule", r -> r.id), new Column("priority", r -> r.severity),
                        new Column("default", r -> r.enabledByDefault ? "enabled" : "disabled"),
                        new Column("covered by", covered));
            case SIGMA:
                return List.of(new Column("title", r -> r.title), new Column("id", r -> r.id),
                        new Column("covered by", covered));
            case ELASTIC:
                return List.of(new Column("rule", r -> r.id), new Column("type", r -> r.type),
                        new Column("covered by", covered));
            default:
                throw new IllegalStateException(source.toString());
        }
    }

    /** A table for a terminal: one section per source, columns padded. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("Peer rules covered by chainwatch patterns (from the patterns' equivalents)\n\n");
        List<String[]> summary = new ArrayList<>();
        summary.add(new String[] {"source", "covered", ""});
        for (PeerSource s : PeerSource.values()) {
            for (Metric m : metrics(s)) {
                summary.add(new String[] {s.product + ", " + m.label(), m.covered() + "/" + m.total(), m.percent()});
            }
        }
        appendTextTable(sb, summary, "  ");
        for (PeerSource s : PeerSource.values()) {
            sb.append('\n').append(catalog.name(s)).append(": ").append(metricLine(s)).append('\n');
            List<Column> cols = columns(s, r -> String.join(", ", coveredBy(s, r.id)));
            List<String[]> rows = new ArrayList<>();
            rows.add(cols.stream().map(Column::header).toArray(String[]::new));
            for (PeerRule r : catalog.rules(s)) {
                String[] row = new String[cols.size()];
                for (int i = 0; i < cols.size(); i++) {
                    String v = cols.get(i).cell().apply(r);
                    row[i] = v == null || v.isEmpty() ? "-" : v;
                }
                rows.add(row);
            }
            appendTextTable(sb, rows, "  ");
        }
        sb.append('\n').append("chainwatch patterns: how many catalogued peer rules each names").append('\n');
        appendTextTable(sb, patternRows(), "  ");
        return sb.toString();
    }

    private static void appendTextTable(StringBuilder sb, List<String[]> rows, String indent) {
        int n = rows.get(0).length;
        int[] width = new int[n];
        for (String[] row : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < n; i++) {
                line.append(row[i]);
                if (i < n - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** For the terminal only (so that COVERAGE.md does not change whenever a pattern without peers is added). */
    private List<String[]> patternRows() {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("pattern", "kind"));
        for (PeerSource s : PeerSource.values()) {
            header.add(s.key);
        }
        rows.add(header.toArray(new String[0]));
        for (PatternDefinition p : patterns) {
            List<String> row = new ArrayList<>();
            row.add(p.id);
            row.add(p.isSequence() ? "sequence (" + p.steps.size() + (p.steps.size() == 1 ? " step)" : " steps)") : "single event");
            for (PeerSource s : PeerSource.values()) {
                int n = 0;
                for (String name : p.equivalents.getOrDefault(s.key, List.of())) {
                    if (catalog.find(s, name) != null) {
                        n++;
                    }
                }
                row.add(n == 0 ? "-" : Integer.toString(n));
            }
            rows.add(row.toArray(new String[0]));
        }
        return rows;
    }

    /** The Markdown document that {@code cep-patterns/COVERAGE.md} holds. Deterministic: no dates, no absolute paths. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Peer-rule coverage\n\n");
        sb.append("Generated by `").append(GENERATE_COMMAND).append("`; do not edit by hand.\n\n");
        sb.append("Which rules of Microsoft Defender for Containers, Falco, SigmaHQ and Elastic Security the chainwatch "
                + "patterns cover, according to each pattern's `equivalents`. A rule counts as covered when at least "
                + "one pattern names it; a sequence pattern usually names every single-event rule that one of its "
                + "steps corresponds to. The catalogue of peer rules is in [`coverage/`](coverage/), how it is kept "
                + "is in [README.md](README.md#peer-rule-coverage).\n\n");
        sb.append("| source | covered | |\n|---|---:|---:|\n");
        for (PeerSource s : PeerSource.values()) {
            for (Metric m : metrics(s)) {
                sb.append("| ").append(md(s.product)).append(", ").append(md(m.label())).append(" | ")
                        .append(m.covered()).append('/').append(m.total()).append(" | ").append(m.percent()).append(" |\n");
            }
        }
        for (PeerSource s : PeerSource.values()) {
            sb.append("\n## ").append(md(catalog.name(s))).append("\n\n");
            String line = metricLine(s);
            sb.append(Character.toUpperCase(line.charAt(0))).append(line.substring(1)).append(". ")
                    .append(NOTES.get(s)).append("\n\n");
            List<Column> cols = columns(s, r -> coveredBy.get(s).getOrDefault(r.id, List.of()).stream()
                    .map(this::link).collect(Collectors.joining(", ")));
            sb.append('|');
            for (Column c : cols) {
                sb.append(' ').append(c.header()).append(" |");
            }
            sb.append("\n|").append("---|".repeat(cols.size())).append('\n');
            for (PeerRule r : catalog.rules(s)) {
                sb.append('|');
                for (int i = 0; i < cols.size(); i++) {
                    String v = cols.get(i).cell().apply(r);
                    boolean isLinks = i == cols.size() - 1;
                    String cell = v == null || v.isEmpty() ? "" : isLinks ? v : md(v);
                    if (i == 0 && s != PeerSource.SIGMA || s == PeerSource.SIGMA && i == 1) {
                        cell = "`" + v.replace("`", "") + "`";
                    }
                    sb.append(' ').append(cell).append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private String link(PatternDefinition p) {
        String rel = relativeFile(p);
        return rel == null ? p.id : "[" + p.id + "](" + rel + ")";
    }

    private String relativeFile(PatternDefinition p) {
        if (p.file == null || patternRoot == null) {
            return null;
        }
        try {
            Path base = Files.isDirectory(patternRoot) ? patternRoot : patternRoot.getParent();
            Path f = Path.of(p.file).toAbsolutePath().normalize();
            if (base == null || !f.startsWith(base)) {
                return null;
            }
            return base.relativize(f).toString().replace('\\', '/');
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Escapes text for a Markdown table cell. */
    private static String md(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
                .replace("<", "&lt;").replace("\n", " ");
    }

    /** Finds where an equivalents entry is written in its pattern file; falls back to line 1. */
    private static final class Locator {
        private final String file;
        private LocatedYaml doc;
        private boolean tried;

        Locator(String file) {
            this.file = file;
        }

        PatternProblem problem(String pointer, String message) {
            int[] loc = {1, 1};
            if (!tried) {
                tried = true;
                try {
                    if (file != null && Files.isRegularFile(Path.of(file))) {
                        doc = LocatedYaml.parse(Files.readString(Path.of(file), StandardCharsets.UTF_8));
                    }
                } catch (IOException | LocatedYaml.YamlException | RuntimeException e) {
                    doc = null;
                }
            }
            if (doc != null) {
                loc = doc.locate(pointer);
            }
            return new PatternProblem(file == null ? "<unknown file>" : file, loc[0], loc[1],
                    PatternProblem.Level.ERROR, message);
        }
    }
}
