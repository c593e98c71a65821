package io.chainwatch.coverage;

import java.util.List;

/**
 * One rule of a peer product, as listed in the catalogue under {@code cep-patterns/coverage/}. Which attributes
 * are set depends on the source: Defender alerts have a {@link #status} and a {@link #style}, Falco rules a
 * priority and {@link #enabledByDefault}, Elastic rules a {@link #type} and {@link #file}.
 */
public final class PeerRule {

    /** Defender status values. */
    public static final String CURRENT = "current";
    public static final String DEPRECATED = "deprecated";
    public static final String TEST = "test";

    /** Defender style values. */
    public static final String RULE = "rule";
    public static final String BEHAVIOURAL = "behavioural";
    public static final String EXTERNAL = "external";

    public final PeerSource source;
    /** What a pattern writes in {@code equivalents}: alert type, rule name or rule UUID. */
    public final String id;
    /** Human title; the id itself where the source names rules by title (Falco, Elastic). */
    public final String title;
    /** Our one-line summary; may be null. */
    public final String description;
    /** current, deprecated or test (always current outside Defender). */
    public final String status;
    /** Defender: rule, behavioural or external; null elsewhere. */
    public final String style;
    /** Falco: whether the rule fires with the shipped lists and macros; true elsewhere. */
    public final boolean enabledByDefault;
    /** Severity (Defender, Elastic) or priority (Falco); may be null. */
    public final String severity;
    /** Elastic rule type (query, eql, esql, new_terms ...); null elsewhere. */
    public final String type;
    /** Elastic rule file; null elsewhere. */
    public final String file;
    public final List<String> tactics;
    /** Line in the catalogue file. */
    public final int line;

    public PeerRule(PeerSource source, String id, String title, String description, String status, String style,
                    boolean enabledByDefault, String severity, String type, String file, List<String> tactics,
                    int line) {
        this.source = source;
        this.id = id;
        this.title = title != null ? title : id;
        this.description = description;
        this.status = status != null ? status : CURRENT;
        this.style = style;
        this.enabledByDefault = enabledByDefault;
        this.severity = severity;
        this.type = type;
        this.file = file;
        this.tactics = List.copyOf(tactics);
        this.line = line;
    }

    public boolean isCurrent() {
        return CURRENT.equals(status);
    }

    @Override
    public String toString() {
        return source.key + ":" + id;
    }
}
