package io.chainwatch.sigma;

/**
 * Regular expressions between Sigma and chainwatch: Sigma's {@code |re} values are PCRE-flavoured, chainwatch
 * runs RE2 (linear time, no lookarounds or backreferences). Also quotes literals and, for generated tests,
 * builds one string that a simple expression matches.
 */
final class SigmaRegex {

    private static final String META = "\\.+*?()|[]{}^$";

    private SigmaRegex() {}

    static String quote(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if (META.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Refuses what RE2 cannot run, naming the construct. */
    static void checkRe2(String re) throws SigmaConversionException {
        boolean inClass = false;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            char next = i + 1 < re.length() ? re.charAt(i + 1) : 0;
            if (c == '\\') {
                if (!inClass && next >= '1' && next <= '9') {
                    throw unsupported(re, "a backreference (\\" + next + ")");
                }
                if (!inClass && next == 'k' && i + 2 < re.length() && "<{'".indexOf(re.charAt(i + 2)) >= 0) {
                    throw unsupported(re, "a named backreference");
                }
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                if (next == '^') {
                    i++;
                    next = i + 1 < re.length() ? re.charAt(i + 1) : 0;
                }
                if (next == ']') {
                    i++; // a literal ']' first in a class
                }
                continue;
            }
            if (c == '(' && next == '?') {
                String rest = re.substring(i + 2);
                if (rest.startsWith("=") || rest.startsWith("!")) {
                    throw unsupported(re, "a lookahead (?" + rest.charAt(0) + "...)");
                }
                if (rest.startsWith("<=") || rest.startsWith("<!")) {
                    throw unsupported(re, "a lookbehind (?" + rest.substring(0, 2) + "...)");
                }
                if (rest.startsWith(">")) {
                    throw unsupported(re, "an atomic group (?>...)");
                }
                if (rest.startsWith("(")) {
                    throw unsupported(re, "a conditional (?(...)...)");
                }
                if (!rest.isEmpty() && (rest.charAt(0) == 'R' || Character.isDigit(rest.charAt(0)))) {
                    throw unsupported(re, "recursion");
                }
            }
            if ((c == '*' || c == '+' || c == '?' || c == '}') && next == '+') {
                throw unsupported(re, "a possessive quantifier (" + c + "+)");
            }
        }
        try {
            com.google.re2j.Pattern.compile(re);
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new SigmaConversionException("regular expression '" + re + "' is not valid RE2 (chainwatch's regex engine): "
                    + e.getDescription());
        }
    }

    private static SigmaConversionException unsupported(String re, String what) {
        return new SigmaConversionException("regular expression '" + re + "' uses " + what
                + ", which RE2 (chainwatch's regex engine) does not support");
    }

    /** One string the expression probably matches (the caller verifies), or null when it is too complex. */
    static String sample(String re) {
        String s = re;
        // Leading inline flags such as (?i) or (?ims).
        while (s.startsWith("(?") && s.indexOf(')') > 2 && s.substring(2, s.indexOf(')')).matches("[imsU]+")) {
            s = s.substring(s.indexOf(')') + 1);
        }
        Gen g = new Gen(s);
        try {
            g.alternation(true);
            return g.pos == s.length() ? g.out.toString() : null;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** A generator for a small regex subset: literals, escapes, '.', classes, groups, alternation, quantifiers. */
    private static final class Gen {
        final String re;
        int pos;
        final StringBuilder out = new StringBuilder();

        Gen(String re) {
            this.re = re;
        }

        void alternation(boolean emit) {
            int start = out.length();
            sequence();
            while (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
                int keep = out.length();
                sequence(); // parsed for syntax; only the first alternative is kept
                out.setLength(keep);
            }
            if (!emit) {
                out.setLength(start);
            }
        }

        void sequence() {
            while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
                int start = out.length();
                atom();
                quantifier(start);
            }
        }

        void atom() {
            char c = re.charAt(pos++);
            switch (c) {
                case '^':
                case '$':
                    return;
                case '.':
                    out.append('x');
                    return;
                case '\\':
                    escape(false);
                    return;
                case '[':
                    charClass();
                    return;
                case '(':
                    if (re.startsWith("?:", pos)) {
                        pos += 2;
                    } else if (re.startsWith("?P<", pos) || re.startsWith("?<", pos)) {
                        int close = re.indexOf('>', pos);
                        if (close < 0) {
                            throw new IllegalStateException();
                        }
                        pos = close + 1;
                    } else if (pos < re.length() && re.charAt(pos) == '?') {
                        throw new IllegalStateException();
                    }
                    alternation(true);
                    if (pos >= re.length() || re.charAt(pos) != ')') {
                        throw new IllegalStateException();
                    }
                    pos++;
                    return;
                case '*':
                case '+':
                case '?':
                case '{':
                case ')':
                    throw new IllegalStateException();
                default:
                    out.append(c);
            }
        }

        void escape(boolean inClass) {
            if (pos >= re.length()) {
                throw new IllegalStateException();
            }
            char e = re.charAt(pos++);
            switch (e) {
                case 'd': out.append('0'); break;
                case 'w': out.append('a'); break;
                case 's': out.append(' '); break;
                case 'D': out.append('a'); break;
                case 'W': out.append('-'); break;
                case 'S': out.append('x'); break;
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'b':
                case 'B':
                case 'A':
                case 'z':
                    if (inClass) {
                        throw new IllegalStateException();
                    }
                    break;
                default:
                    if (Character.isLetterOrDigit(e)) {
                        throw new IllegalStateException();
                    }
                    out.append(e);
            }
        }

        void charClass() {
            if (pos < re.length() && re.charAt(pos) == '^') {
                throw new IllegalStateException(); // a negated class: no obvious member
            }
            int start = out.length();
            boolean first = true;
            while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
                char c = re.charAt(pos++);
                if (c == '\\') {
                    escape(true);
                } else {
                    out.append(c);
                }
                first = false;
                if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                    pos += 2; // a range: its first character is the sample
                }
            }
            if (pos >= re.length()) {
                throw new IllegalStateException();
            }
            pos++;
            out.setLength(start + 1); // one member of the class
        }

        void quantifier(int atomStart) {
            if (pos >= re.length()) {
                return;
            }
            char q = re.charAt(pos);
            String atom = out.substring(atomStart);
            if (q == '*' || q == '?') {
                pos++;
                out.setLength(atomStart);
            } else if (q == '+') {
                pos++;
            } else if (q == '{') {
                int close = re.indexOf('}', pos);
                if (close < 0) {
                    throw new IllegalStateException();
                }
                String body = re.substring(pos + 1, close);
                if (!body.matches("\\d+(,\\d*)?")) {
                    throw new IllegalStateException();
                }
                int n = Integer.parseInt(body.split(",")[0]);
                if (n > 100) {
                    throw new IllegalStateException();
                }
                pos = close + 1;
                out.setLength(atomStart);
                for (int i = 0; i < n; i++) {
                    out.append(atom);
                }
            } else {
                return;
            }
            if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
                pos++; // lazy (or possessive) marker
            }
        }
    }
}
