package io.chainwatch.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple3;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    });

    /**
     * The hour the request was received, then 128 bits of {@code (cluster, auditID)}.
     *
     * <p>The hour comes first because BATCH mode processes keys in sorted order: the unique events then leave
     * hour by hour, so the history writer has one hour's partition open at a time instead of every partition
     * of the input (which held the whole history in memory). It is the hour of {@code requestReceivedTimestamp},
     * which every stage and every redelivery of a request share (the stage time of an exec's two stages can
     * fall in different hours), else of the event time.
     *
     * <p>A fixed-length key also sorts by byte comparison; text keys made the sort a fifth of the job's CPU.
     * MD5 is a hash here, not a security measure: two different requests share a key with probability
     * ~n²/2^129 (nil for any audit volume).
     */
    public static Tuple3<Long, Long, Long> key(AuditEvent e) {
        MessageDigest md = MD5.get();
        md.update(String.valueOf(e.cluster).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0x1f);
        md.update(String.valueOf(e.auditID).getBytes(StandardCharsets.UTF_8));
        byte[] h = md.digest();
        long received = e.requestReceivedMicros != null ? e.requestReceivedMicros : e.eventTimeMicros;
        return Tuple3.of(Math.floorDiv(received, 3_600_000_000L), ByteBuffer.wrap(h, 0, 8).getLong(), ByteBuffer.wrap(h, 8, 8).getLong());
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
