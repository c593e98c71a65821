package io.chainwatch.pipeline;

import io.chainwatch.alert.Alert;
import io.chainwatch.alert.CountAlerts;
import io.chainwatch.alert.SuppressAlerts;
import io.chainwatch.detect.AggregateFunction;
import io.chainwatch.detect.NewTermsFunction;
import io.chainwatch.detect.PatternEvent;
import io.chainwatch.detect.PatternRouter;
import io.chainwatch.detect.SequenceOperator;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditWatermarks;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.DeduplicateRequests;
import io.chainwatch.ingest.ParseAuditEvents;
import io.chainwatch.ingest.RawRecord;
import io.chainwatch.pattern.PatternDefinition;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

import java.util.List;

/**
 * The detection topology, source- and sink-free so that the CLI, the pattern test runner, backtests and tests
 * all run the same operators:
 *
 * <pre>
 * raw records → parse (dead letters) → timestamps/watermarks → dedupe by auditID ─┬→ events (history)
 *                                                                                  └→ router ─┬→ single-event alerts
 *                                            all sequences: keyBy(pattern, key) → multi-pattern CEP ─┴→ alerts
 * </pre>
 *
 * Every stateful operator has a stable {@code uid} so that savepoints survive changes to the job.
 */
public final class DetectionPipeline {

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private DetectionPipeline() {}

    /** The streams a caller attaches sinks to. */
    public static final class Outputs {
        public final DataStream<AuditEvent> events;
        public final DataStream<Alert> alerts;
        public final DataStream<DeadLetter> deadLetters;

        Outputs(DataStream<AuditEvent> events, DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters) {
            this.events = events;
            this.alerts = alerts;
            this.deadLetters = deadLetters;
        }
    }

    public static Outputs build(DataStream<RawRecord> raw, List<PatternDefinition> patterns, PipelineOptions options) {
        SingleOutputStreamOperator<AuditEvent> parsed = raw
                .process(new ParseAuditEvents(options.defaultCluster, options.maxDeadLetterText, DEAD_LETTERS, options.format))
                .uid("parse").name("parse audit events");

        DataStream<AuditEvent> timed = withEventTime(parsed, options);

        SingleOutputStreamOperator<AuditEvent> unique = timed
                .keyBy(DeduplicateRequests::key, DeduplicateRequests.KEY_TYPE)
                .process(new DeduplicateRequests(options.dedupHorizon.toMillis(),
                        options.runtimeMode != RuntimeExecutionMode.BATCH))
                .uid("dedupe").name("dedupe by auditID");

        Outputs detected = detect(unique, patterns, options);
        return new Outputs(unique, detected.alerts, parsed.getSideOutput(DEAD_LETTERS).union(detected.deadLetters));
    }

    /** Event-time timestamps and data-driven watermarks on parsed (or history) events. */
    public static DataStream<AuditEvent> withEventTime(DataStream<AuditEvent> events, PipelineOptions options) {
        long bound = options.maxOutOfOrderness.toMillis();
        return events.assignTimestampsAndWatermarks(
                WatermarkStrategy.<AuditEvent>forGenerator(ctx -> new AuditWatermarks(bound, 1000L))
                        .withTimestampAssigner((e, previous) -> Math.floorDiv(e.eventTimeMicros, 1000L)))
                .uid("event-time").name("event time");
    }

    /**
     * The detection half — prefilter, single-event patterns, CEP and the keyed functions, suppression — over
     * unique events that already carry event time. Live jobs reach it through {@link #build}; backtests feed it
     * the Parquet history directly, so both run the very same operators.
     */
    public static Outputs detect(DataStream<AuditEvent> unique, List<PatternDefinition> patterns, PipelineOptions options) {
        // Chained operators hand records on without a deep copy. Safe because no operator of this topology
        // changes a record after emitting it or keeps a reference to its input across calls: events, slices
        // and alerts are built new and treated as immutable (keyed state is only fed through shuffles, which
        // deserialize fresh objects). The copies otherwise cost as much as parsing the event's fields.
        unique.getExecutionEnvironment().getConfig().enableObjectReuse();
        SingleOutputStreamOperator<Alert> routed = unique
                .process(new PatternRouter(patterns, DEAD_LETTERS))
                .uid("route").name("prefilter and single-event patterns");

        DataStream<Alert> alerts = routed;
        DataStream<DeadLetter> deadLetters = routed.getSideOutput(DEAD_LETTERS);
        List<PatternDefinition> sequences = new java.util.ArrayList<>();
        List<PatternDefinition> newTerms = new java.util.ArrayList<>();
        for (PatternDefinition def : patterns) {
            switch (def.kind()) {
                case SEQUENCE:
                    sequences.add(def);
                    break;
                case AGGREGATE:
                    alerts = alerts.union(routed.getSideOutput(PatternRouter.routeTag(def.id)).keyBy(e -> e.key)
                            .process(new AggregateFunction(def, options.limits.maxValuesPerKey))
                            .returns(Alert.class).uid("aggregate-" + def.id).name("aggregate " + def.id));
                    break;
                case NEW_TERMS:
                    newTerms.add(def);
                    break;
                default:
                    break;
            }
        }
        if (!newTerms.isEmpty()) {
            alerts = alerts.union(routed.getSideOutput(PatternRouter.NEW_TERMS).keyBy(NewTermsFunction::key, NewTermsFunction.KEY_TYPE)
                    .process(new NewTermsFunction(newTerms, options.limits.maxValuesPerKey))
                    .returns(Alert.class).uid("new-terms").name("new terms (" + newTerms.size() + " patterns)"));
        }
        if (!sequences.isEmpty()) {
            // All sequences in one keyed CEP operator (key: pattern id + key), so that the job's shape does not
            // grow with the pack; see SequenceOperator.
            OutputTag<PatternEvent> late = new OutputTag<>("late-sequences", TypeInformation.of(PatternEvent.class));
            SingleOutputStreamOperator<Alert> matches = routed.getSideOutput(PatternRouter.SEQUENCES)
                    .keyBy(SequenceOperator::key, SequenceOperator.KEY_TYPE)
                    .transform("sequences (" + sequences.size() + " patterns)", TypeInformation.of(Alert.class),
                            new SequenceOperator(sequences, late))
                    .uid("cep-sequences");
            alerts = alerts.union(matches);
            deadLetters = deadLetters.union(matches.getSideOutput(late)
                    .map(e -> DeadLetter.of("pattern " + e.patternId, 0, "late",
                            "late for sequence " + e.patternId, "{\"auditID\":\"" + e.evidence.auditID + "\"}",
                            DeadLetter.DEFAULT_MAX_TEXT))
                    .returns(DeadLetter.class)
                    .name("late for sequences"));
        }
        if (patterns.stream().anyMatch(p -> p.suppress != null)) {
            alerts = alerts.keyBy(SuppressAlerts::key).process(new SuppressAlerts(patterns))
                    .uid("suppress").name("suppress repeats");
        }
        DataStream<Alert> counted = alerts.process(new CountAlerts()).uid("count-alerts").name("count alerts");
        return new Outputs(unique, counted, deadLetters);
    }
}
