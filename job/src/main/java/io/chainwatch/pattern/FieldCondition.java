package io.chainwatch.pattern;

import com.google.re2j.Pattern;
import io.chainwatch.ingest.AuditEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A condition on the values at one field path. A value satisfies the condition when it satisfies every
 * operator; the condition holds when {@code any} (default) or {@code all} of the path's values satisfy it.
 * {@code exists} tests presence instead of values. A path with no values never matches a comparison.
 */
public final class FieldCondition implements Condition {

    private static final long serialVersionUID = 1L;

    public enum Quantifier { ANY, ALL }

    /** One operator with its operands, already normalised (lower-cased when case-insensitive). */
    public static final class Test implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final Operator op;
        final List<String> operands;
        final boolean ignoreCase;
        private transient List<Pattern> regexes;
        private transient List<Cidr> cidrs;
        private transient double numeric;
        /** EQUALS with many operands (lists of principals, images): one hash lookup instead of a scan. */
        private transient Set<String> operandSet;
        private transient boolean prepared;

        public Test(Operator op, List<String> operands, boolean ignoreCase) {
            this.op = op;
            this.ignoreCase = ignoreCase;
            List<String> norm = new ArrayList<>(operands.size());
            for (String s : operands) {
                norm.add(ignoreCase && op != Operator.REGEX ? s.toLowerCase(Locale.ROOT) : s);
            }
            this.operands = List.copyOf(norm);
            validate();
        }

        /** Compiles regexes and CIDRs eagerly so that bad operands fail at load time, not per event. */
        private void validate() {
            prepare();
        }

        private void prepare() {
            prepared = true;
            if (op == Operator.REGEX && regexes == null) {
                List<Pattern> ps = new ArrayList<>();
                for (String s : operands) {
                    ps.add(Pattern.compile(s, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
                }
                regexes = ps;
            } else if (op == Operator.CIDR && cidrs == null) {
                List<Cidr> cs = new ArrayList<>();
                for (String s : operands) {
                    cs.add(Cidr.parse(s));
                }
                cidrs = cs;
            } else if (op.isNumeric()) {
                numeric = Double.parseDouble(operands.get(0));
            } else if (op == Operator.EQUALS && operands.size() > 4) {
                operandSet = new java.util.HashSet<>(operands);
            }
        }

        boolean matches(Object value) {
            if (!prepared) {
                prepare();
            }
            if (op.isNumeric()) {
                double v = Values.number(value);
                if (Double.isNaN(v)) {
                    return false;
                }
                switch (op) {
                    case GT: return v > numeric;
                    case GTE: return v >= numeric;
                    case LT: return v < numeric;
                    default: return v <= numeric;
                }
            }
            String text = Values.text(value);
            if (text == null) {
                return false;
            }
            if (op == Operator.REGEX) {
                for (Pattern p : regexes) {
                    if (p.matcher(text).find()) {
                        return true;
                    }
                }
                return false;
            }
            if (op == Operator.CIDR) {
                byte[] address = Cidr.parseAddress(text.trim()); // once for all networks of the list
                for (Cidr c : cidrs) {
                    if (c.contains(address)) {
                        return true;
                    }
                }
                return false;
            }
            if (ignoreCase) {
                text = text.toLowerCase(Locale.ROOT);
            }
            if (operandSet != null) {
                return operandSet.contains(text);
            }
            for (String operand : operands) {
                boolean hit;
                switch (op) {
                    case EQUALS: hit = text.equals(operand); break;
                    case PREFIX: hit = text.startsWith(operand); break;
                    case SUFFIX: hit = text.endsWith(operand); break;
                    case CONTAINS: hit = text.contains(operand); break;
                    default: throw new IllegalStateException(op.toString());
                }
                if (hit) {
                    return true;
                }
            }
            return false;
        }

        String describe() {
            String ops = operands.size() == 1 ? operands.get(0) : operands.toString();
            return op.keyword + (ignoreCase ? "(i)" : "") + " " + ops;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Test)) {
                return false;
            }
            Test t = (Test) o;
            return op == t.op && ignoreCase == t.ignoreCase && operands.equals(t.operands);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(op, ignoreCase, operands);
        }
    }

    private final FieldPath path;
    private final List<Test> tests;
    private final Boolean exists;
    private final Quantifier quantifier;

    public FieldCondition(FieldPath path, List<Test> tests, Boolean exists, Quantifier quantifier) {
        this.path = path;
        this.tests = List.copyOf(tests);
        this.exists = exists;
        this.quantifier = quantifier;
    }

    public FieldPath path() {
        return path;
    }

    @Override
    public boolean test(AuditEvent event) {
        List<Object> values = path.values(event);
        if (exists != null && exists == values.isEmpty()) {
            return false;
        }
        if (tests.isEmpty()) {
            return true;
        }
        if (values.isEmpty()) {
            return false;
        }
        if (quantifier == Quantifier.ALL) {
            for (Object v : values) {
                if (!matchesAll(v)) {
                    return false;
                }
            }
            return true;
        }
        for (Object v : values) {
            if (matchesAll(v)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesAll(Object value) {
        for (Test t : tests) {
            if (!t.matches(value)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void collectPaths(Set<FieldPath> into) {
        into.add(path);
    }

    @Override
    public Set<String> requiredValues(FieldPath field) {
        if (!path.equals(field) || quantifier != Quantifier.ANY || Boolean.FALSE.equals(exists)) {
            return null;
        }
        Set<String> out = null;
        for (Test t : tests) {
            if (t.op == Operator.EQUALS && !t.ignoreCase) {
                Set<String> mine = new java.util.HashSet<>(t.operands);
                if (out == null) {
                    out = mine;
                } else {
                    out.retainAll(mine);
                }
            }
        }
        return out;
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (exists != null) {
            parts.add(exists ? "exists" : "absent");
        }
        parts.addAll(tests.stream().map(Test::describe).collect(Collectors.toList()));
        return path + (quantifier == Quantifier.ALL ? "[all]" : "") + " " + String.join(" and ", parts);
    }

    /** Value equality: two conditions with the same path, operators and operands hold for the same events. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FieldCondition)) {
            return false;
        }
        FieldCondition c = (FieldCondition) o;
        return path.equals(c.path) && tests.equals(c.tests) && java.util.Objects.equals(exists, c.exists)
                && quantifier == c.quantifier;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(path, tests, exists, quantifier);
    }
}
