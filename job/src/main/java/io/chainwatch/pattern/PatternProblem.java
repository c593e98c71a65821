package io.chainwatch.pattern;

/** An error or warning found while loading a pattern file, located as {@code file:line:column}. */
public final class PatternProblem {

    public enum Level { ERROR, WARNING }

    public final String file;
    public final int line;
    public final int column;
    public final Level level;
    public final String message;

    public PatternProblem(String file, int line, int column, Level level, String message) {
        this.file = file;
        this.line = line;
        this.column = column;
        this.level = level;
        this.message = message;
    }

    public boolean isError() {
        return level == Level.ERROR;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + level.name().toLowerCase() + ": " + message;
    }
}
