package io.chainwatch.history;

import io.chainwatch.ingest.AuditEvent;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Puts each event in the Hive-style partition of its own event time, {@code dt=YYYY-MM-DD/hour=HH} (UTC).
 * Flink's {@code DateTimeBucketAssigner} uses processing time, which would file a replay of last month's logs
 * under today.
 */
public final class EventTimeBucketAssigner implements BucketAssigner<AuditEvent, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(AuditEvent element, Context context) {
        return partition(element.eventTimeMicros);
    }

    public static String partition(long eventTimeMicros) {
        ZonedDateTime t = io.chainwatch.ingest.AuditTimestamps.toInstant(eventTimeMicros).atZone(ZoneOffset.UTC);
        return String.format("dt=%04d-%02d-%02d/hour=%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
