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

    public static String formatMicros(long micros) {
        return MICROS.format(toInstant(micros));
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
