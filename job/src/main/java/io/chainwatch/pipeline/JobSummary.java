package io.chainwatch.pipeline;

import org.apache.flink.api.common.JobExecutionResult;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** What a bounded run did, from the job's accumulators: the numbers the CLI prints and tests check. */
public final class JobSummary {

    private final Map<String, Long> counts = new TreeMap<>();
    private final Duration elapsed;

    public JobSummary(JobExecutionResult result, Duration elapsed) {
        this.elapsed = elapsed;
        for (Map.Entry<String, Object> e : result.getAllAccumulatorResults().entrySet()) {
            if (e.getKey().startsWith(Counters.PREFIX) && e.getValue() instanceof Number) {
                counts.put(e.getKey().substring(Counters.PREFIX.length()), ((Number) e.getValue()).longValue());
            }
        }
    }

    public long get(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** Sum of all counters starting with {@code prefix}. */
    public long sum(String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    public Map<String, Long> withPrefix(String prefix) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    public Duration elapsed() {
        return elapsed;
    }

    /** The counters and the elapsed time as JSON, for scripts and the benchmark ({@code detect --summary-json}). */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        double secs = Math.max(elapsed.toMillis(), 1) / 1000.0;
        root.put("recordsRead", get("records.read"));
        root.put("uniqueEvents", get("events.unique"));
        root.put("deadLettered", sum("deadletters.") + get("events.late"));
        root.put("alerts", sum("alerts."));
        root.put("elapsedSeconds", secs);
        root.put("recordsPerSecond", get("records.read") / secs);
        com.fasterxml.jackson.databind.node.ObjectNode c = root.putObject("counters");
        counts.forEach(c::put);
        return root;
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        long read = get("records.read");
        double secs = Math.max(elapsed.toMillis(), 1) / 1000.0;
        sb.append(String.format("records read        %,d%n", read));
        sb.append(String.format("events parsed       %,d%n", get("events.parsed")));
        sb.append(String.format("duplicates dropped  %,d%n", get("events.duplicates")));
        sb.append(String.format("unique events       %,d%n", get("events.unique")));
        withPrefix("skipped.").forEach((k, v) -> sb.append(String.format("  skipped %-18s %,d%n", k, v)));
        sb.append(String.format("dead-lettered       %,d%n", sum("deadletters.") + get("events.late")));
        withPrefix("deadletters.").forEach((k, v) -> sb.append(String.format("  %-26s %,d%n", k, v)));
        if (get("events.late") > 0) {
            sb.append(String.format("  %-26s %,d%n", "late", get("events.late")));
        }
        Map<String, Long> alerts = withPrefix("alerts.");
        sb.append(String.format("alerts              %,d%n", alerts.values().stream().mapToLong(Long::longValue).sum()));
        alerts.forEach((k, v) -> sb.append(String.format("  %-40s %,d%n", k, v)));
        sb.append(String.format("elapsed             %.1f s (%,.0f records/s)%n", secs, read / secs));
        return sb.toString();
    }
}
