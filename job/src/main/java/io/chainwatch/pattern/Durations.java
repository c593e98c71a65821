package io.chainwatch.pattern;

import java.time.Duration;
import java.util.regex.Matcher;

/** Parses durations as pattern authors write them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {
    // java.util.regex is fine here: the input is a short trusted token from a pattern file, and the
    // expression has no nested quantifiers.
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        Duration total = Duration.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 30s, 10m, 1h30m, 2d)");
            }
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": total = total.plusMillis(n); break;
                case "s": total = total.plusSeconds(n); break;
                case "m": total = total.plusMinutes(n); break;
                case "h": total = total.plusHours(n); break;
                default: total = total.plusDays(n); break;
            }
            pos = m.end();
        }
        return total;
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
