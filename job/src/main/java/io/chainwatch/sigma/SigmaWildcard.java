package io.chainwatch.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Sigma string value with its wildcards ({@code *} any run of characters, {@code ?} one character;
 * {@code \*}, {@code \?} and {@code \\} are the literal characters) and the {@code contains},
 * {@code startswith} and {@code endswith} modifiers applied, classified as the simplest chainwatch operator
 * that expresses it: equals, contains, prefix, suffix, "any value" (a lone {@code *}), or an RE2 regular
 * expression when wildcards sit inside the value.
 */
final class SigmaWildcard {

    enum Kind { EQUALS, CONTAINS, PREFIX, SUFFIX, ANY, REGEX }

    private static final Object STAR = new Object();
    private static final Object ONE = new Object();

    final Kind kind;
    /** The literal text for EQUALS/CONTAINS/PREFIX/SUFFIX. */
    final String literal;
    private final List<Object> tokens;

    private SigmaWildcard(Kind kind, String literal, List<Object> tokens) {
        this.kind = kind;
        this.literal = literal;
        this.tokens = tokens;
    }

    static SigmaWildcard parse(String value, String matcher) {
        List<Object> tokens = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && "*?\\".indexOf(value.charAt(i + 1)) >= 0) {
                lit.append(value.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    tokens.add(lit.toString());
                    lit.setLength(0);
                }
                tokens.add(c == '*' ? STAR : ONE);
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            tokens.add(lit.toString());
        }
        boolean leading = "contains".equals(matcher) || "endswith".equals(matcher);
        boolean trailing = "contains".equals(matcher) || "startswith".equals(matcher);
        if (leading && (tokens.isEmpty() || tokens.get(0) != STAR)) {
            tokens.add(0, STAR);
        }
        if (trailing && (tokens.isEmpty() || tokens.get(tokens.size() - 1) != STAR)) {
            tokens.add(STAR);
        }
        List<Object> collapsed = new ArrayList<>();
        for (Object t : tokens) {
            if (t == STAR && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1) == STAR) {
                continue;
            }
            collapsed.add(t);
        }
        tokens = collapsed;
        boolean lead = !tokens.isEmpty() && tokens.get(0) == STAR;
        boolean trail = tokens.size() > (lead ? 1 : 0) && tokens.get(tokens.size() - 1) == STAR;
        List<Object> middle = tokens.subList(lead ? 1 : 0, tokens.size() - (trail ? 1 : 0));
        if (middle.isEmpty()) {
            return lead ? new SigmaWildcard(Kind.ANY, null, tokens) : new SigmaWildcard(Kind.EQUALS, "", tokens);
        }
        if (middle.size() == 1 && middle.get(0) instanceof String) {
            String text = (String) middle.get(0);
            Kind k = lead && trail ? Kind.CONTAINS : lead ? Kind.SUFFIX : trail ? Kind.PREFIX : Kind.EQUALS;
            return new SigmaWildcard(k, text, tokens);
        }
        return new SigmaWildcard(Kind.REGEX, null, tokens);
    }

    /** The value as an RE2 expression, anchored where the value has no leading/trailing {@code *}. */
    String regex(boolean lowerCaseLiterals) {
        StringBuilder re = new StringBuilder();
        boolean lead = !tokens.isEmpty() && tokens.get(0) == STAR;
        boolean trail = tokens.size() > 1 && tokens.get(tokens.size() - 1) == STAR;
        if (!lead) {
            re.append('^');
        }
        for (int i = lead ? 1 : 0; i < tokens.size() - (trail ? 1 : 0); i++) {
            Object t = tokens.get(i);
            if (t == STAR) {
                re.append(".*");
            } else if (t == ONE) {
                re.append('.');
            } else {
                String s = (String) t;
                re.append(SigmaRegex.quote(lowerCaseLiterals ? s.toLowerCase(Locale.ROOT) : s));
            }
        }
        if (!trail) {
            re.append('$');
        }
        return re.toString();
    }

    /** The literal characters of the value, without wildcards. */
    String literalText() {
        StringBuilder sb = new StringBuilder();
        for (Object t : tokens) {
            if (t instanceof String) {
                sb.append((String) t);
            }
        }
        return sb.toString();
    }
}
