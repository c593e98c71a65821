package io.chainwatch.detect;

import io.chainwatch.alert.Alert;
import io.chainwatch.pattern.FieldPath;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pipeline.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/**
 * New terms per key: remembers every combination of the pattern's fields a key has shown, and alerts on a
 * combination it has never shown once the key is past its learning period (measured from the key's first
 * event). Events arrive in event-time order (see {@link EventTimeOrderedFunction}). Terms per key are capped.
 *
 * <p>One operator serves every new-terms pattern of the pack: the stream is keyed by pattern id and key
 * ({@link #key}), and each event's pattern id picks its definition, so the job graph does not
 * grow with the number of such patterns.
 */
public class NewTermsFunction extends EventTimeOrderedFunction<org.apache.flink.api.java.tuple.Tuple3<Integer, Long, Long>> {

    private static final long serialVersionUID = 1L;
    /** Values kept per key (distinct values or terms) before the oldest/new ones are dropped. */
    private final int valuesPerKey;

    private final Map<String, PatternDefinition> defs;
    private transient ValueState<Long> firstSeen;
    private transient MapState<String, Boolean> terms;
    private transient ValueState<Integer> termCount;
    private transient Counters counters;

    /**
     * The key the stream must be keyed by ({@link #KEY_TYPE}): the pattern id's hash, unique in the pack (the
     * constructor checks), and 128 bits of the correlation key (cluster and key values).
     */
    public static org.apache.flink.api.java.tuple.Tuple3<Integer, Long, Long> key(PatternEvent e) {
        return PatternKeys.of(e);
    }

    public static final TypeInformation<org.apache.flink.api.java.tuple.Tuple3<Integer, Long, Long>> KEY_TYPE = PatternKeys.TYPE;

    public NewTermsFunction(List<PatternDefinition> defs, int valuesPerKey) {
        PatternKeys.checkUnique(defs, "new-terms");
        this.defs = new java.util.HashMap<>();
        defs.forEach(d -> this.defs.put(d.id, d));
        this.valuesPerKey = valuesPerKey;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        TypeInformation<PatternEvent> type = TypeInformation.of(PatternEvent.class);
        firstSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("first-seen", Types.LONG));
        terms = getRuntimeContext().getMapState(new MapStateDescriptor<>("terms", Types.STRING, Types.BOOLEAN));
        termCount = getRuntimeContext().getState(new ValueStateDescriptor<>("term-count", Types.INT));
        counters = new Counters(getRuntimeContext());
    }

    @Override
    protected void accept(PatternEvent e, long processingTime, Collector<Alert> out) throws Exception {
        PatternDefinition def = defs.get(e.patternId);
        if (def == null) {
            // restored state of a pattern no longer in the pack
            return;
        }
        Long first = firstSeen.value();
        if (first == null) {
            first = e.eventTimeMicros;
            firstSeen.update(first);
        }
        String term = term(def, e);
        if (terms.contains(term)) {
            return;
        }
        int count = termCount.value() == null ? 0 : termCount.value();
        if (count >= valuesPerKey) {
            counters.inc("newterms.capped." + def.id);
            return;
        }
        terms.put(term, Boolean.TRUE);
        termCount.update(count + 1);
        boolean learning = e.eventTimeMicros - first < def.newTerms.learning.toNanos() / 1000;
        if (!learning) {
            out.collect(AlertFactory.build(def, List.of(new AlertFactory.StepMatch("event", e)),
                    processingTime, Map.of("term", term)));
        }
    }

    private static String term(PatternDefinition def, PatternEvent e) {
        StringBuilder sb = new StringBuilder();
        for (FieldPath f : def.newTerms.fields) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            List<String> v = e.fields == null ? null : e.fields.get(f.toString());
            sb.append(f).append('=').append(v == null || v.isEmpty() ? "-" : String.join(",", v));
        }
        return sb.toString();
    }
}
