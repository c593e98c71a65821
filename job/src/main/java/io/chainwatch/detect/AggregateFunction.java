package io.chainwatch.detect;

import io.chainwatch.alert.Alert;
import io.chainwatch.pattern.AggregateSpec;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pipeline.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sliding event-time threshold per key: at least N events and/or N distinct values of a field within the
 * window. Events are buffered until the watermark passes them and then processed in event-time order (as
 * CEP does), so the result does not depend on arrival order and BATCH equals STREAMING.
 *
 * <p>State per key is bounded by the thresholds: the last {@code count} events, and the latest event of each
 * distinct value still inside the window (at most the distinct threshold plus what the window holds, capped).
 * After an alert the key starts afresh, so one burst gives one alert.
 */
public class AggregateFunction extends EventTimeOrderedFunction<String> {

    private static final long serialVersionUID = 1L;
    /** Values kept per key (distinct values or terms) before the oldest/new ones are dropped. */
    private final int valuesPerKey;

    private final PatternDefinition def;
    private transient ListState<PatternEvent> recent;
    private transient MapState<String, PatternEvent> distinct;
    private transient Counters counters;

    public AggregateFunction(PatternDefinition def, int valuesPerKey) {
        this.def = def;
        this.valuesPerKey = valuesPerKey;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        TypeInformation<PatternEvent> type = TypeInformation.of(PatternEvent.class);
        recent = getRuntimeContext().getListState(new ListStateDescriptor<>("recent", type));
        distinct = getRuntimeContext().getMapState(new MapStateDescriptor<>("distinct", Types.STRING, type));
        counters = new Counters(getRuntimeContext());
    }

    @Override
    protected void accept(PatternEvent e, long processingTime, Collector<Alert> out) throws Exception {
        AggregateSpec spec = def.aggregate;
        long windowStart = e.eventTimeMicros - spec.window.toNanos() / 1000;
        boolean countOk = true;
        List<PatternEvent> window = new ArrayList<>();
        if (spec.minCount > 0) {
            for (PatternEvent r : recent.get()) {
                if (r.eventTimeMicros > windowStart) {
                    window.add(r);
                }
            }
            window.add(e);
            while (window.size() > spec.minCount) {
                window.remove(0);
            }
            recent.update(window);
            countOk = window.size() >= spec.minCount;
        }
        boolean distinctOk = true;
        int distinctCount = 0;
        if (spec.distinctField != null) {
            List<String> values = e.fields == null ? null : e.fields.get(spec.distinctField.toString());
            if (values != null) {
                for (String v : values) {
                    distinct.put(v, e);
                }
            }
            List<String> expired = new ArrayList<>();
            Map<String, Long> live = new HashMap<>();
            for (Map.Entry<String, PatternEvent> d : distinct.entries()) {
                if (d.getValue().eventTimeMicros <= windowStart) {
                    expired.add(d.getKey());
                } else {
                    live.put(d.getKey(), d.getValue().eventTimeMicros);
                }
            }
            for (String k : expired) {
                distinct.remove(k);
            }
            if (live.size() > valuesPerKey) {
                counters.inc("aggregate.capped." + def.id);
                live.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(live.size() - valuesPerKey)
                        .forEach(x -> {
                            try {
                                distinct.remove(x.getKey());
                            } catch (Exception ex) {
                                throw new IllegalStateException(ex);
                            }
                        });
            }
            distinctCount = Math.min(live.size(), valuesPerKey);
            distinctOk = distinctCount >= spec.minDistinct;
        }
        if (countOk && distinctOk) {
            List<AlertFactory.StepMatch> evidence = new ArrayList<>();
            Map<String, PatternEvent> byAudit = new LinkedHashMap<>();
            if (spec.distinctField != null) {
                List<PatternEvent> firsts = new ArrayList<>();
                distinct.values().forEach(firsts::add);
                firsts.sort(new SequenceCompiler.EventOrder());
                firsts.forEach(x -> byAudit.putIfAbsent(x.evidence.auditID, x));
            }
            window.forEach(x -> byAudit.putIfAbsent(x.evidence.auditID, x));
            byAudit.putIfAbsent(e.evidence.auditID, e);
            List<PatternEvent> ordered = new ArrayList<>(byAudit.values());
            ordered.sort(new SequenceCompiler.EventOrder());
            for (PatternEvent x : ordered) {
                evidence.add(new AlertFactory.StepMatch("event", x));
            }
            Map<String, String> match = new HashMap<>();
            match.put("count", Integer.toString(spec.minCount > 0 ? window.size() : ordered.size()));
            match.put("distinct", Integer.toString(distinctCount));
            out.collect(AlertFactory.build(def, evidence, processingTime, match));
            recent.clear();
            distinct.clear();
        }
    }
}
