package io.chainwatch.pipeline;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts an operator's outcomes twice: as Flink metrics (for dashboards on a live job) and as accumulators
 * (so that a bounded run can print an exact summary when it ends). Names are created on first use.
 */
public final class Counters {

    /** Accumulator name prefix for everything chainwatch counts. */
    public static final String PREFIX = "chainwatch.";

    private final RuntimeContext context;
    private final MetricGroup metrics;
    private final Map<String, Pair> counters = new HashMap<>();

    public Counters(RuntimeContext context) {
        this.context = context;
        this.metrics = context.getMetricGroup().addGroup("chainwatch");
    }

    public void inc(String name) {
        add(name, 1);
    }

    public void add(String name, long n) {
        Pair p = counters.get(name);
        if (p == null) {
            p = new Pair(context.getLongCounter(PREFIX + name), metrics.counter(sanitize(name)));
            counters.put(name, p);
        }
        p.accumulator.add(n);
        p.metric.inc(n);
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static final class Pair {
        final LongCounter accumulator;
        final Counter metric;

        Pair(LongCounter accumulator, Counter metric) {
            this.accumulator = accumulator;
            this.metric = metric;
        }
    }
}
