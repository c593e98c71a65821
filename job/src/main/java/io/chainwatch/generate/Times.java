package io.chainwatch.generate;

import java.time.LocalDate;

/**
 * Fast RFC 3339 formatting of microsecond timestamps ({@code 2026-11-01T10:00:01.023479Z}), the form the API
 * server writes. One instance per writer thread: it caches the date part and reuses its buffer.
 */
final class Times {
    static final long SECOND = 1_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private final char[] buf = new char[30];
    private long cachedDay = Long.MIN_VALUE;

    /** Formats into the internal buffer with {@code fraction} digits (0, 3, 6 or 7); returns the length. */
    int format(long micros, int fraction) {
        long day = Math.floorDiv(micros, DAY);
        if (day != cachedDay) {
            LocalDate d = LocalDate.ofEpochDay(day);
            int y = d.getYear();
            buf[0] = (char) ('0' + y / 1000);
            buf[1] = (char) ('0' + y / 100 % 10);
            buf[2] = (char) ('0' + y / 10 % 10);
            buf[3] = (char) ('0' + y % 10);
            buf[4] = '-';
            two(5, d.getMonthValue());
            buf[7] = '-';
            two(8, d.getDayOfMonth());
            buf[10] = 'T';
            cachedDay = day;
        }
        long inDay = micros - day * DAY;
        long secs = inDay / SECOND;
        int us = (int) (inDay % SECOND);
        two(11, (int) (secs / 3600));
        buf[13] = ':';
        two(14, (int) (secs / 60 % 60));
        buf[16] = ':';
        two(17, (int) (secs % 60));
        int p = 19;
        if (fraction > 0) {
            buf[p++] = '.';
            int digits = Math.min(fraction, 6);
            int div = 100_000;
            for (int i = 0; i < digits; i++) {
                buf[p++] = (char) ('0' + us / div % 10);
                div /= 10;
            }
            for (int i = 6; i < fraction; i++) {
                buf[p++] = '0';
            }
        }
        buf[p++] = 'Z';
        return p;
    }

    char[] buffer() {
        return buf;
    }

    String micros(long micros) {
        return new String(buf, 0, format(micros, 6));
    }

    String seconds(long micros) {
        return new String(buf, 0, format(micros, 0));
    }

    private void two(int at, int v) {
        buf[at] = (char) ('0' + v / 10);
        buf[at + 1] = (char) ('0' + v % 10);
    }

    /** Thread-safe one-off formatting (labels, summaries). */
    static String rfc3339(long micros) {
        return new Times().micros(micros);
    }

    static String rfc3339Seconds(long micros) {
        return new Times().seconds(micros);
    }
}
