package io.chainwatch.pattern;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An alert summary with placeholders: {@code {{key.<name>}}} for correlation key values and
 * {@code {{steps.<step>.<field path>}}} for a field of the event that matched a step. Plain substitution,
 * no expressions: pattern files are data.
 */
public final class SummaryTemplate implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A literal piece of text or a placeholder. */
    public static final class Part implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String literal;
        /** For placeholders: "key" or a step name. */
        public final String scope;
        /** For placeholders: key name or field path. */
        public final String ref;

        Part(String literal, String scope, String ref) {
            this.literal = literal;
            this.scope = scope;
            this.ref = ref;
        }
    }

    private final String text;
    private final List<Part> parts;

    private SummaryTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses a template; throws {@link IllegalArgumentException} on a malformed placeholder. */
    public static SummaryTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                parts.add(new Part(text.substring(i), null, null));
                break;
            }
            if (open > i) {
                parts.add(new Part(text.substring(i, open), null, null));
            }
            int close = text.indexOf("}}", open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{{' in summary");
            }
            String expr = text.substring(open + 2, close).trim();
            if (expr.startsWith("key.") && expr.length() > 4) {
                parts.add(new Part(null, "key", expr.substring(4)));
            } else if (expr.startsWith("match.") && expr.length() > 6) {
                parts.add(new Part(null, "match", expr.substring(6)));
            } else if (expr.startsWith("steps.")) {
                int dot = expr.indexOf('.', 6);
                if (dot < 0 || dot == expr.length() - 1) {
                    throw new IllegalArgumentException("'{{" + expr + "}}' must be steps.<step>.<field>");
                }
                parts.add(new Part(null, expr.substring(6, dot), expr.substring(dot + 1)));
            } else {
                throw new IllegalArgumentException("'{{" + expr + "}}': placeholders are {{key.<name>}}, {{steps.<step>.<field>}} or {{match.count|distinct|term}}");
            }
            i = close + 2;
        }
        return new SummaryTemplate(text, List.copyOf(parts));
    }

    public List<Part> placeholders() {
        List<Part> out = new ArrayList<>();
        for (Part p : parts) {
            if (p.literal == null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Field paths the template reads from the event of step {@code stepName}. */
    public Set<String> pathsFor(String stepName) {
        Set<String> out = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p.literal == null && p.scope.equals(stepName) && !p.scope.equals("match")) {
                out.add(p.ref);
            }
        }
        return out;
    }

    /**
     * Renders with key values and a lookup of step fields ({@code stepFields.apply(step)} gives that step's
     * extracted values, or null when the step did not match). Missing values render as {@code ?}.
     */
    public String render(Map<String, String> key, Function<String, Map<String, String>> stepFields) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p.literal != null) {
                sb.append(p.literal);
                continue;
            }
            String v;
            if (p.scope.equals("key")) {
                v = key.get(p.ref);
            } else {
                Map<String, String> fields = stepFields.apply(p.scope);
                v = fields == null ? null : fields.get(p.ref);
            }
            sb.append(v == null ? "?" : v);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
