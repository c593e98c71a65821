package io.chainwatch.sigma;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A recursive-descent parser for the {@code condition} of a Sigma detection:
 *
 * <pre>
 * expr    := and ('or' and)*
 * and     := unary ('and' unary)*
 * unary   := 'not' unary | primary
 * primary := '(' expr ')' | quant | IDENT
 * quant   := ('1' | 'any' | 'all') 'of' (PATTERN | 'them')
 * </pre>
 *
 * Keywords are case-insensitive; {@code not} binds tighter than {@code and}, which binds tighter than
 * {@code or}. Identifiers are search identifiers of the detection; in {@code x of} they may contain
 * {@code *} wildcards, and {@code them} means every search identifier except those starting with {@code _}.
 * The obsolete Sigma v1 aggregations ({@code | count() by ...}) and {@code near} are refused with a reason.
 */
public final class SigmaConditionParser {

    /** A node of the parsed condition. */
    public interface Node {}

    /** A search identifier. */
    public static final class Ref implements Node {
        public final String name;

        Ref(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every operand holds. */
    public static final class And implements Node {
        public final List<Node> operands;

        And(List<Node> operands) {
            this.operands = List.copyOf(operands);
        }

        @Override
        public String toString() {
            return operands.stream().map(Object::toString).collect(Collectors.joining(" and ", "(", ")"));
        }
    }

    /** At least one operand holds. */
    public static final class Or implements Node {
        public final List<Node> operands;

        Or(List<Node> operands) {
            this.operands = List.copyOf(operands);
        }

        @Override
        public String toString() {
            return operands.stream().map(Object::toString).collect(Collectors.joining(" or ", "(", ")"));
        }
    }

    /** The operand does not hold. */
    public static final class Not implements Node {
        public final Node operand;

        Not(Node operand) {
            this.operand = operand;
        }

        @Override
        public String toString() {
            return "not " + operand;
        }
    }

    /** {@code 1 of pattern} ({@code all == false}) or {@code all of pattern}; pattern null means {@code them}. */
    public static final class Quantified implements Node {
        public final boolean all;
        public final String pattern;

        Quantified(boolean all, String pattern) {
            this.all = all;
            this.pattern = pattern;
        }

        /** The search identifiers this quantifier ranges over, in the given order. */
        public List<String> select(Collection<String> identifiers) {
            if (pattern == null) {
                return identifiers.stream().filter(n -> !n.startsWith("_")).collect(Collectors.toList());
            }
            Pattern p = wildcard(pattern);
            return identifiers.stream().filter(n -> p.matcher(n).matches()).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return (all ? "all" : "1") + " of " + (pattern == null ? "them" : pattern);
        }
    }

    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_.*\\-]+");

    private final String text;
    private final List<String> tokens;
    private int pos;

    private SigmaConditionParser(String text, List<String> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** Parses a condition expression, or throws with a reason fit for the import report. */
    public static Node parse(String condition) throws SigmaConversionException {
        if (condition == null || condition.isBlank()) {
            throw new SigmaConversionException("the detection has no condition");
        }
        if (condition.contains("|")) {
            throw new SigmaConversionException("condition '" + condition.strip() + "' uses a Sigma v1 aggregation ('| count() ...'),"
                    + " which is obsolete; write it as a correlation rule (event_count/value_count)");
        }
        SigmaConditionParser p = new SigmaConditionParser(condition, tokenize(condition));
        Node n = p.expr();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return n;
    }

    private static List<String> tokenize(String s) throws SigmaConversionException {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && s.charAt(j) != '(' && s.charAt(j) != ')') {
                    j++;
                }
                String tok = s.substring(i, j);
                if (!IDENT.matcher(tok).matches()) {
                    throw new SigmaConversionException("condition '" + s.strip() + "': cannot read '" + tok + "'");
                }
                out.add(tok);
                i = j;
            }
        }
        return out;
    }

    private Node expr() throws SigmaConversionException {
        List<Node> operands = new ArrayList<>();
        operands.add(and());
        while (peekKeyword("or")) {
            pos++;
            operands.add(and());
        }
        return operands.size() == 1 ? operands.get(0) : new Or(operands);
    }

    private Node and() throws SigmaConversionException {
        List<Node> operands = new ArrayList<>();
        operands.add(unary());
        while (peekKeyword("and")) {
            pos++;
            operands.add(unary());
        }
        return operands.size() == 1 ? operands.get(0) : new And(operands);
    }

    private Node unary() throws SigmaConversionException {
        if (peekKeyword("not")) {
            pos++;
            return new Not(unary());
        }
        return primary();
    }

    private Node primary() throws SigmaConversionException {
        if (pos >= tokens.size()) {
            throw error("ends too early");
        }
        String t = tokens.get(pos);
        if (t.equals("(")) {
            pos++;
            Node inner = expr();
            if (pos >= tokens.size() || !tokens.get(pos).equals(")")) {
                throw error("missing ')'");
            }
            pos++;
            return inner;
        }
        if (t.equals(")")) {
            throw error("unexpected ')'");
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
            boolean all;
            if (lower.equals("1") || lower.equals("any")) {
                all = false;
            } else if (lower.equals("all")) {
                all = true;
            } else if (lower.matches("\\d+")) {
                throw new SigmaConversionException("condition '" + text.strip() + "' uses '" + t + " of', which chainwatch"
                        + " cannot express (only '1 of' and 'all of')");
            } else {
                throw error("'" + t + " of' is not a quantifier (use '1 of' or 'all of')");
            }
            pos += 2;
            if (pos >= tokens.size() || tokens.get(pos).equals("(") || tokens.get(pos).equals(")")) {
                throw error("'" + t + " of' needs a search identifier pattern or 'them'");
            }
            String target = tokens.get(pos++);
            return new Quantified(all, target.equalsIgnoreCase("them") ? null : target);
        }
        if (lower.equals("and") || lower.equals("or") || lower.equals("not") || lower.equals("of") || lower.equals("them")) {
            throw error("unexpected '" + t + "'");
        }
        if (lower.equals("near")) {
            throw new SigmaConversionException("condition uses the obsolete 'near' operator; write it as a temporal correlation rule");
        }
        if (t.contains("*")) {
            throw error("a wildcard identifier ('" + t + "') needs '1 of' or 'all of'");
        }
        pos++;
        return new Ref(t);
    }

    private boolean peekKeyword(String keyword) {
        return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(keyword);
    }

    private SigmaConversionException error(String what) {
        return new SigmaConversionException("condition '" + text.strip() + "' cannot be parsed: " + what);
    }

    /** A Sigma identifier pattern ({@code selection_*}) as a Java pattern over identifiers. */
    static Pattern wildcard(String pattern) {
        StringBuilder re = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            if (!parts[i].isEmpty()) {
                re.append(Pattern.quote(parts[i]));
            }
        }
        return Pattern.compile(re.toString());
    }
}
