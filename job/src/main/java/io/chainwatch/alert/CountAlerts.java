package io.chainwatch.alert;

import io.chainwatch.pipeline.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts alerts per rule on their way to the sinks, in one place for single-event and sequence patterns
 * (CEP's runtime context offers no accumulators).
 */
public class CountAlerts extends ProcessFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;

    private transient Counters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new Counters(getRuntimeContext());
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) {
        counters.inc("alerts." + alert.ruleId);
        out.collect(alert);
    }
}
