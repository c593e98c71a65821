package io.chainwatch.pattern;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a pattern set has errors; the message lists every one as {@code file:line:column: message}. */
public final class PatternLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<PatternProblem> problems;

    public PatternLoadException(List<PatternProblem> problems) {
        super(problems.stream().map(PatternProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<PatternProblem> problems() {
        return problems;
    }
}
