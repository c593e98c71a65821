package io.chainwatch.detect;

import io.chainwatch.alert.Alert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of the keyed functions that count (aggregates, new terms): buffers each key's events until the
 * watermark passes them, then hands them to {@link #accept} in event-time order, ties broken like CEP's
 * ({@link SequenceCompiler.EventOrder}). So, as with CEP, arrival order does not change results and BATCH
 * equals STREAMING.
 */
public abstract class EventTimeOrderedFunction<K> extends KeyedProcessFunction<K, PatternEvent, Alert> {

    private static final long serialVersionUID = 1L;

    private transient MapState<Long, List<PatternEvent>> pending;

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
                Types.LIST(TypeInformation.of(PatternEvent.class))));
    }

    @Override
    public final void processElement(PatternEvent e, Context ctx, Collector<Alert> out) throws Exception {
        long ts = ctx.timestamp();
        List<PatternEvent> at = pending.get(ts);
        if (at == null) {
            at = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(ts);
        }
        at.add(e);
        pending.put(ts, at);
    }

    @Override
    public final void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<PatternEvent> due = pending.get(timestamp);
        pending.remove(timestamp);
        if (due == null) {
            return;
        }
        due.sort(new SequenceCompiler.EventOrder());
        for (PatternEvent e : due) {
            accept(e, ctx.timerService().currentProcessingTime(), out);
        }
    }

    /** Processes one event of the current key, in event-time order. */
    protected abstract void accept(PatternEvent e, long processingTime, Collector<Alert> out) throws Exception;
}
