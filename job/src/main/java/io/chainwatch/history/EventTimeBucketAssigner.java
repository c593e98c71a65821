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

    /** The last hour asked for and its partition: events come in hour by hour, and formatting is not free. */
    private transient long lastHour = Long.MIN_VALUE;
    private transient String lastPartition;

    @Override
    public String getBucketId(AuditEvent element, Context context) {
        long hour = Math.floorDiv(element.eventTimeMicros, 3_600_000_000L);
        if (hour != lastHour || lastPartition == null) {
            lastPartition = partition(element.eventTimeMicros);
            lastHour = hour;
        }
        return lastPartition;
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
