package io.chainwatch.ingest;

import io.chainwatch.pipeline.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the first event of each {@code (cluster, auditID)} and drops the rest: redeliveries by shippers and
 * webhooks, and the second stage of an exec that logged both ResponseStarted and ResponseComplete.
 *
 * <p>Keyed by {@link #key(AuditEvent)}. The "seen" flag is cleared by an event-time timer once the watermark
 * is {@code horizon} past the event, so state stays proportional to the event rate times the horizon.
 */
public class DeduplicateRequests extends KeyedProcessFunction<String, AuditEvent, AuditEvent> {

    private static final long serialVersionUID = 1L;

    private final long horizonMillis;
    /** False in BATCH mode, where state lives only while its key is processed and timers are pointless. */
    private final boolean expireState;
    private transient ValueState<Boolean> seen;
    private transient Counters counters;

    public DeduplicateRequests(long horizonMillis, boolean expireState) {
        this.horizonMillis = horizonMillis;
        this.expireState = expireState;
    }

    public static String key(AuditEvent e) {
        return e.cluster + '\u001f' + e.auditID;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        counters = new Counters(getRuntimeContext());
    }

    @Override
    public void processElement(AuditEvent event, Context ctx, Collector<AuditEvent> out) throws Exception {
        if (seen.value() != null) {
            counters.inc("events.duplicates");
            return;
        }
        seen.update(Boolean.TRUE);
        Long ts = ctx.timestamp();
        if (expireState && ts != null) {
            ctx.timerService().registerEventTimeTimer(ts + horizonMillis);
        }
        counters.inc("events.unique");
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AuditEvent> out) {
        seen.clear();
    }
}
