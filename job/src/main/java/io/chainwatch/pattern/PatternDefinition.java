package io.chainwatch.pattern;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A detection as loaded from one YAML file in {@code cep-patterns/}: metadata, one or more ordered steps, the
 * correlation key, the window, the alert summary template and the pattern's own tests. Immutable and
 * serializable so that Flink can ship it to the operators that evaluate it.
 */
public final class PatternDefinition implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String id;
    public final String title;
    /** The title as a template ({@code {{key.x}}}, {@code {{steps.s.field}}}), or null when it has no placeholders. */
    public final SummaryTemplate titleTemplate;
    public final String description;
    public final Severity severity;
    public final String status;
    public final List<String> tactics;
    public final List<String> techniques;
    public final List<String> references;
    public final List<String> falsePositives;
    public final String remediation;
    public final String author;
    /** Peer rules this pattern covers: defender, falco, sigma, elastic → rule names/ids. */
    public final Map<String, List<String>> equivalents;
    /** Audit level the pattern needs to see its fields: Metadata, Request or RequestResponse. */
    public final String requiredLevel;
    public final List<KeyField> key;
    /** First→last event window of a sequence; null for single-event patterns. */
    public final Duration within;
    public final List<StepDefinition> steps;
    public final SummaryTemplate summary;
    /** What to do after a match: skip past its last event (default), to the next start, or not at all. */
    public final AfterMatch afterMatch;
    /** Threshold form, or null. */
    public final AggregateSpec aggregate;
    /** New-terms form, or null. */
    public final NewTermsSpec newTerms;
    /** One alert per key per this period (later matches are counted into it), or null. */
    public final Duration suppress;
    public final List<Escalation> escalations;
    public final List<PatternTestCase> tests;
    /** The file it was loaded from. */
    public final String file;

    public PatternDefinition(String id, String title, String description, Severity severity, String status,
                             List<String> tactics, List<String> techniques, List<String> references,
                             List<String> falsePositives, String remediation, String author,
                             Map<String, List<String>> equivalents, String requiredLevel, List<KeyField> key,
                             Duration within, List<StepDefinition> steps, SummaryTemplate summary,
                             AfterMatch afterMatch, AggregateSpec aggregate, NewTermsSpec newTerms, Duration suppress,
                             List<Escalation> escalations, List<PatternTestCase> tests, String file) {
        this.id = id;
        this.title = title;
        SummaryTemplate t = title == null ? null : SummaryTemplate.parse(title);
        this.titleTemplate = t == null || t.placeholders().isEmpty() ? null : t;
        this.description = description;
        this.severity = severity;
        this.status = status;
        this.tactics = List.copyOf(tactics);
        this.techniques = List.copyOf(techniques);
        this.references = List.copyOf(references);
        this.falsePositives = List.copyOf(falsePositives);
        this.remediation = remediation;
        this.author = author;
        this.equivalents = Map.copyOf(equivalents);
        this.requiredLevel = requiredLevel;
        this.key = List.copyOf(key);
        this.within = within;
        this.steps = List.copyOf(steps);
        this.summary = summary;
        this.afterMatch = afterMatch;
        this.aggregate = aggregate;
        this.newTerms = newTerms;
        this.suppress = suppress;
        this.escalations = List.copyOf(escalations);
        this.tests = List.copyOf(tests);
        this.file = file;
    }

    /** How a pattern is evaluated; {@code explain} shows it. */
    public enum Kind {
        /** One event decides; no state, evaluated in the router. */
        SINGLE,
        /** Ordered steps on Flink CEP. */
        SEQUENCE,
        /** Count / distinct-count threshold in a keyed function with timers. */
        AGGREGATE,
        /** First occurrence after a learning period, in a keyed function. */
        NEW_TERMS
    }

    public Kind kind() {
        if (aggregate != null) {
            return Kind.AGGREGATE;
        }
        if (newTerms != null) {
            return Kind.NEW_TERMS;
        }
        return steps.size() > 1 || steps.get(0).isLooping() ? Kind.SEQUENCE : Kind.SINGLE;
    }

    /** True for patterns that run on Flink CEP: two or more steps, or one step that must repeat. */
    public boolean isSequence() {
        return kind() == Kind.SEQUENCE;
    }

    /** True when the router hands events to a stateful operator of the pattern (CEP or keyed function). */
    public boolean isStateful() {
        return kind() != Kind.SINGLE;
    }

    /** The key fields that apply to step {@code index}. */
    public List<KeyField> keyFor(int index) {
        List<KeyField> override = steps.get(index).keyOverride;
        return override != null ? override : key;
    }

    /** After-match policies of a sequence. */
    public enum AfterMatch {
        SKIP_PAST_LAST_EVENT("skip-past-last-event"), SKIP_TO_NEXT("skip-to-next"), NO_SKIP("no-skip");

        public final String keyword;

        AfterMatch(String keyword) {
            this.keyword = keyword;
        }
    }

    /** The same pattern under another id (a baseline run beside its new version). */
    public PatternDefinition withId(String newId) {
        return new PatternDefinition(newId, title, description, severity, status, tactics, techniques, references,
                falsePositives, remediation, author, equivalents, requiredLevel, key, within, steps, summary, afterMatch,
                aggregate, newTerms, suppress, escalations, tests, file);
    }

    public int stepIndex(String name) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name.equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
