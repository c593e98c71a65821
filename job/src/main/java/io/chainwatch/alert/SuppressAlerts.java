package io.chainwatch.alert;

import io.chainwatch.ingest.AuditTimestamps;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pipeline.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert per rule and key per suppression period: the first alert goes out at once; later ones within the
 * period (in event time) are absorbed, and when the period closes an update of the first alert (same
 * {@code alertId}) reports how many matches it stands for and when the last one was. Rules without
 * {@code suppress} pass straight through.
 */
public class SuppressAlerts extends KeyedProcessFunction<String, Alert, Alert> {

    private static final long serialVersionUID = 1L;

    private final Map<String, Duration> periods = new HashMap<>();
    private transient ValueState<Alert> open;
    private transient Counters counters;

    public SuppressAlerts(List<PatternDefinition> patterns) {
        for (PatternDefinition p : patterns) {
            if (p.suppress != null) {
                periods.put(p.id, p.suppress);
            }
        }
    }

    /** rule + cluster + sorted key: what one suppression period covers. */
    public static String key(Alert a) {
        return a.ruleId + '\u001f' + a.cluster + '\u001f' + new TreeMap<>(a.key == null ? Map.of() : a.key);
    }

    @Override
    public void open(OpenContext openContext) {
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open", TypeInformation.of(Alert.class)));
        counters = new Counters(getRuntimeContext());
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        Duration period = periods.get(alert.ruleId);
        if (period == null) {
            out.collect(alert);
            return;
        }
        Alert first = open.value();
        long at = AuditTimestamps.parseMicros(alert.firstSeen) / 1000;
        if (first == null || at >= AuditTimestamps.parseMicros(first.firstSeen) / 1000 + period.toMillis()) {
            if (first != null && first.occurrences > 1) {
                out.collect(first);
            }
            open.update(alert);
            ctx.timerService().registerEventTimeTimer(at + period.toMillis());
            out.collect(alert);
            return;
        }
        first.occurrences += alert.occurrences;
        if (alert.lastSeen.compareTo(first.lastSeen) > 0) {
            first.lastSeen = alert.lastSeen;
        }
        open.update(first);
        counters.inc("alerts.suppressed." + alert.ruleId);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Alert first = open.value();
        if (first == null) {
            return;
        }
        if (AuditTimestamps.parseMicros(first.firstSeen) / 1000 + periods.get(first.ruleId).toMillis() <= timestamp) {
            if (first.occurrences > 1) {
                out.collect(first);
            }
            open.clear();
        }
    }
}
