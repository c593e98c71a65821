package io.chainwatch.ingest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTimestampsTest {

    static long viaJavaTime(String text) {
        Instant i = Instant.parse(text);
        return TimeUnit.SECONDS.toMicros(i.getEpochSecond()) + i.getNano() / 1000;
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-01T10:00:00Z", "2026-11-01T10:00:00.1Z", "2026-11-01T10:00:00.123456Z",
            "2026-11-01T10:00:00.123456789Z", "2024-02-29T23:59:59.999999Z", "1970-01-01T00:00:00.000001Z",
            "1969-12-31T23:59:59.5Z", "2099-12-31T00:00:00.000Z"})
    void theFastPathAgreesWithJavaTime(String text) {
        assertThat(AuditTimestamps.parseCanonical(text)).isEqualTo(viaJavaTime(text));
        assertThat(AuditTimestamps.parseMicros(text)).isEqualTo(viaJavaTime(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-01T10:00:00+01:00", "2026-11-01 10:00:00Z", "2026-02-30T10:00:00Z",
            "2026-13-01T10:00:00Z", "2026-11-01T24:00:00Z", "2026-11-01T10:00:00.Z", "2026-11-01T10:00:00.1234567890Z",
            "2026-11-01T10:0a:00Z", "2026-11-01T10:00:60Z"})
    void otherFormsTakeTheGeneralPath(String text) {
        assertThat(AuditTimestamps.parseCanonical(text)).isEqualTo(Long.MIN_VALUE);
    }
}
