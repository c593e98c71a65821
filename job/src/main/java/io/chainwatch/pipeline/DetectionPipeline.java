package io.chainwatch.pipeline;

import io.chainwatch.alert.Alert;
import io.chainwatch.alert.CountAlerts;
import io.chainwatch.alert.SuppressAlerts;
import io.chainwatch.detect.AggregateFunction;
import io.chainwatch.detect.NewTermsFunction;
import io.chainwatch.detect.PatternEvent;
import io.chainwatch.detect.PatternRouter;
import io.chainwatch.detect.SequenceAlertFunction;
import io.chainwatch.detect.SequenceCompiler;
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
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.PatternStream;
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
 *                                                             per sequence: keyBy(key) → CEP ─┴→ alerts
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
                .keyBy(DeduplicateRequests::key)
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
        for (PatternDefinition def : patterns) {
            DataStream<PatternEvent> routes = routed.getSideOutput(PatternRouter.routeTag(def.id));
            switch (def.kind()) {
                case SEQUENCE: {
                    OutputTag<PatternEvent> late = new OutputTag<>("late-" + def.id, TypeInformation.of(PatternEvent.class));
                    PatternStream<PatternEvent> stream = CEP.pattern(routes.keyBy(e -> e.key),
                            SequenceCompiler.compile(def), new SequenceCompiler.EventOrder())
                            .inEventTime()
                            .sideOutputLateData(late);
                    SingleOutputStreamOperator<Alert> matches = stream
                            .process(new SequenceAlertFunction(def), TypeInformation.of(Alert.class))
                            .uid("cep-" + def.id).name("sequence " + def.id);
                    alerts = alerts.union(matches);
                    deadLetters = deadLetters.union(matches.getSideOutput(late)
                            .map(e -> DeadLetter.of("pattern " + e.patternId, 0, "late",
                                    "late for sequence " + e.patternId, "{\"auditID\":\"" + e.evidence.auditID + "\"}",
                                    DeadLetter.DEFAULT_MAX_TEXT))
                            .returns(DeadLetter.class)
                            .name("late for " + def.id));
                    break;
                }
                case AGGREGATE:
                    alerts = alerts.union(routes.keyBy(e -> e.key).process(new AggregateFunction(def, options.limits.maxValuesPerKey))
                            .returns(Alert.class).uid("aggregate-" + def.id).name("aggregate " + def.id));
                    break;
                case NEW_TERMS:
                    alerts = alerts.union(routes.keyBy(e -> e.key).process(new NewTermsFunction(def, options.limits.maxValuesPerKey))
                            .returns(Alert.class).uid("new-terms-" + def.id).name("new terms " + def.id));
                    break;
                default:
                    break;
            }
        }
        if (patterns.stream().anyMatch(p -> p.suppress != null)) {
            alerts = alerts.keyBy(SuppressAlerts::key).process(new SuppressAlerts(patterns))
                    .uid("suppress").name("suppress repeats");
        }
        DataStream<Alert> counted = alerts.process(new CountAlerts()).uid("count-alerts").name("count alerts");
        return new Outputs(unique, counted, deadLetters);
    }
}
