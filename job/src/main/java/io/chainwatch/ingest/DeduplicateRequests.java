package io.chainwatch.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple3;


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
public class DeduplicateRequests extends KeyedProcessFunction<Tuple3<Long, Long, Long>, AuditEvent, AuditEvent> {

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

    /** The key's Flink type: three longs, a fixed-length key that BATCH mode sorts by plain byte comparison. */
    public static final TypeInformation<Tuple3<Long, Long, Long>> KEY_TYPE = Types.TUPLE(Types.LONG, Types.LONG, Types.LONG);

    /**
     * The hour the request was received, then 128 bits of {@code (cluster, auditID)}.
     *
     * <p>The hour comes first because BATCH mode processes keys in sorted order: the unique events then leave
     * hour by hour, so the history writer has one hour's partition open at a time instead of every partition
     * of the input (which held the whole history in memory). It is the hour of {@code requestReceivedTimestamp},
     * which every stage and every redelivery of a request share (the stage time of an exec's two stages can
     * fall in different hours), else of the event time.
     *
     * <p>A fixed-length key also sorts by byte comparison (see {@link KeyHash}).
     */
    public static Tuple3<Long, Long, Long> key(AuditEvent e) {
        byte[] h = KeyHash.md5(String.valueOf(e.cluster), String.valueOf(e.auditID));
        long received = e.requestReceivedMicros != null ? e.requestReceivedMicros : e.eventTimeMicros;
        return Tuple3.of(Math.floorDiv(received, 3_600_000_000L), KeyHash.high(h), KeyHash.low(h));
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
