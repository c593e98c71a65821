package io.chainwatch.pattern;

/** Comparison operators of field conditions. Each takes one or more operands and matches when any does. */
public enum Operator {
    EQUALS("equals"),
    PREFIX("prefix"),
    SUFFIX("suffix"),
    CONTAINS("contains"),
    REGEX("regex"),
    CIDR("cidr"),
    GT("gt"),
    GTE("gte"),
    LT("lt"),
    LTE("lte");

    public final String keyword;

    Operator(String keyword) {
        this.keyword = keyword;
    }

    public boolean isNumeric() {
        return this == GT || this == GTE || this == LT || this == LTE;
    }

    public boolean isText() {
        return this == PREFIX || this == SUFFIX || this == CONTAINS || this == REGEX;
    }
}
