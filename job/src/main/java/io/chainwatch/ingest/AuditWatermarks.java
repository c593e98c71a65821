package io.chainwatch.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that advance with the data, not only with the wall clock: a watermark is
 * emitted as soon as the event time has moved a full step past the last one, and on the periodic tick as usual.
 * Replaying a file at full speed therefore yields the same watermarks (and the same late events) on every run,
 * instead of depending on when the periodic timer happened to fire; the step keeps watermark traffic small.
 */
public final class AuditWatermarks implements WatermarkGenerator<AuditEvent> {

    private final long boundMillis;
    private final long stepMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;

    public AuditWatermarks(long boundMillis, long stepMillis) {
        this.boundMillis = boundMillis;
        this.stepMillis = stepMillis;
    }

    @Override
    public void onEvent(AuditEvent event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            long candidate = candidate();
            if (lastEmitted == Long.MIN_VALUE || candidate >= lastEmitted + stepMillis) {
                emit(candidate, output);
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTimestamp != Long.MIN_VALUE && candidate() > lastEmitted) {
            emit(candidate(), output);
        }
    }

    private long candidate() {
        return maxTimestamp - boundMillis - 1;
    }

    private void emit(long watermark, WatermarkOutput output) {
        lastEmitted = watermark;
        output.emitWatermark(new Watermark(watermark));
    }
}
