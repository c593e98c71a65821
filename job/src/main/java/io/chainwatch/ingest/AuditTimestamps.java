package io.chainwatch.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

/** RFC 3339 timestamps with microsecond precision, as the API server writes them ({@code metav1.MicroTime}). */
public final class AuditTimestamps {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditTimestamps() {}

    /**
     * Parses an RFC 3339 timestamp (any fraction length, Z or an offset) to epoch microseconds. Exports that
     * write a space for the 'T' and leave out the zone ({@code 2022-11-29 22:14:05.123}, as SIEMs normalise
     * them) are read as UTC.
     */
    public static long parseMicros(String text) {
        long fast = parseCanonical(text);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            String t = text;
            if (t.length() > 10 && t.charAt(10) == ' ') {
                t = t.substring(0, 10) + 'T' + t.substring(11);
                boolean zoned = t.endsWith("Z") || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10;
                if (!zoned) {
                    t = t + 'Z';
                }
            }
            try {
                instant = Instant.parse(t);
            } catch (DateTimeParseException again) {
                instant = OffsetDateTime.parse(t).toInstant();
            }
        }
        return TimeUnit.SECONDS.toMicros(instant.getEpochSecond()) + instant.getNano() / 1000;
    }

    /**
     * The form the API server writes, {@code 2026-11-01T10:00:00.123456Z} (0 to 9 fraction digits, UTC), without
     * java.time's general parser, which costs more than the rest of an event's fields; Long.MIN_VALUE for any
     * other form (offsets, a space, out-of-range fields), which then takes the general path.
     */
    static long parseCanonical(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long micros = 0;
        int end = n - 1;
        if (end > 19) {
            if (t.charAt(19) != '.' || end - 20 < 1 || end - 20 > 9) {
                return Long.MIN_VALUE;
            }
            int frac = digits(t, 20, end - 20);
            if (frac < 0) {
                return Long.MIN_VALUE;
            }
            long nanos = frac;
            for (int i = end - 20; i < 9; i++) {
                nanos *= 10;
            }
            micros = nanos / 1000;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second;
        return seconds * 1_000_000L + micros;
    }

    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static String formatMicros(long micros) {
        return MICROS.format(toInstant(micros));
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
