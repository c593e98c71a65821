package io.chainwatch.history;

import io.chainwatch.ingest.AuditEvent;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

/**
 * When a history part file is finished: at every checkpoint (what exactly-once bulk writing needs), and also
 * when it reaches {@link #MAX_BYTES} or its partition has had no event for {@link #INACTIVE_MILLIS}. Parquet
 * keeps a file's open row group in memory, and a bounded run has no checkpoints: without the last two rules
 * every partition of a month-long replay stayed open, and in memory, until the end.
 */
public final class HistoryRollingPolicy extends CheckpointRollingPolicy<AuditEvent, String> {

    private static final long serialVersionUID = 1L;

    static final long MAX_BYTES = 256L << 20;
    static final long INACTIVE_MILLIS = 10_000;

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> partFileState, AuditEvent element) throws java.io.IOException {
        return partFileState.getSize() >= MAX_BYTES;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFileState, long currentTime) {
        return currentTime - partFileState.getLastUpdateTime() >= INACTIVE_MILLIS;
    }
}
