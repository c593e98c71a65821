package io.chainwatch.detect;

import io.chainwatch.alert.Alert;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditTimestamps;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pipeline.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prefilter: evaluates every step predicate of every pattern once per event, and forwards the event only
 * to the patterns it can advance. Single-event patterns are decided right here (no state needed) and leave
 * as alerts on the main output; for a sequence, the event's slice goes to the sequences' side output
 * ({@link #SEQUENCES}; a counting pattern has its own, {@link #routeTag}), once per distinct correlation key,
 * with the bitmask of the steps it satisfies.
 *
 * <p>Events at or behind the watermark would be dropped by CEP as late; they are reported to the
 * dead-letter output instead (they are still in the history, which is written upstream).
 */
public class PatternRouter extends ProcessFunction<AuditEvent, Alert> {

    private static final long serialVersionUID = 1L;

    private final List<PatternDefinition> patterns;
    private final OutputTag<DeadLetter> deadLetters;
    private transient List<CompiledPattern> compiled;
    private transient List<OutputTag<PatternEvent>> tags;
    private transient Counters counters;
    /** Resource → the patterns (indices, in pack order) that an event on that resource can concern. */
    private transient Map<String, int[]> byResource;
    /** The patterns an event on any other resource can concern (no step pins the resource down). */
    private transient int[] anyResource;

    public PatternRouter(List<PatternDefinition> patterns, OutputTag<DeadLetter> deadLetters) {
        this.patterns = List.copyOf(patterns);
        this.deadLetters = deadLetters;
    }

    /** The side output carrying the slices of every sequence pattern (to the one {@link SequenceOperator}). */
    public static final OutputTag<PatternEvent> SEQUENCES = new OutputTag<>("route-sequences", TypeInformation.of(PatternEvent.class));

    /** The side output carrying the slices of every new-terms pattern (to the one {@link NewTermsFunction}). */
    public static final OutputTag<PatternEvent> NEW_TERMS = new OutputTag<>("route-new-terms", TypeInformation.of(PatternEvent.class));

    /** The side output carrying the slices for aggregate pattern {@code id}. */
    public static OutputTag<PatternEvent> routeTag(String id) {
        return new OutputTag<>("route-" + id, TypeInformation.of(PatternEvent.class));
    }

    @Override
    public void open(OpenContext openContext) {
        compiled = new ArrayList<>(patterns.size());
        tags = new ArrayList<>(patterns.size());
        for (int i = 0; i < patterns.size(); i++) {
            compiled.add(new CompiledPattern(patterns.get(i), i));
            PatternDefinition def = patterns.get(i);
            tags.add(!def.isStateful() ? null : def.kind() == PatternDefinition.Kind.SEQUENCE ? SEQUENCES
                    : def.kind() == PatternDefinition.Kind.NEW_TERMS ? NEW_TERMS : routeTag(def.id));
        }
        counters = new Counters(getRuntimeContext());
        indexByResource();
        shareEqualConditions();
    }

    /** Equal step and escalation conditions of different patterns are evaluated once per event. */
    private void shareEqualConditions() {
        io.chainwatch.pattern.SharedConditions shared = new io.chainwatch.pattern.SharedConditions();
        for (CompiledPattern cp : compiled) {
            cp.def.steps.forEach(st -> shared.count(st.where));
            cp.def.escalations.forEach(e -> shared.count(e.when));
        }
        for (CompiledPattern cp : compiled) {
            cp.stepWhere = cp.def.steps.stream().map(st -> shared.shared(st.where)).toArray(io.chainwatch.pattern.Condition[]::new);
            cp.escalationWhen = cp.def.escalations.stream().map(e -> shared.shared(e.when)).toArray(io.chainwatch.pattern.Condition[]::new);
        }
    }

    private static final io.chainwatch.pattern.FieldPath RESOURCE = io.chainwatch.pattern.FieldPath.parse("objectRef.resource");
    private static final io.chainwatch.pattern.FieldPath VERB = io.chainwatch.pattern.FieldPath.parse("verb");

    /**
     * Most predicates pin down the resource (and the verb) an event must have, and most events concern none
     * of them (leases, reads): index the patterns by resource so that an event is tested against the few
     * patterns that can match it, not the whole pack. A pattern whose steps do not all pin the resource down,
     * or that must see every event of its key (strict contiguity), is a candidate for every event.
     */
    private void indexByResource() {
        java.util.TreeSet<Integer> any = new java.util.TreeSet<>();
        Map<String, java.util.TreeSet<Integer>> pinned = new HashMap<>();
        for (CompiledPattern cp : compiled) {
            cp.resourceGates = new java.util.ArrayList<>();
            cp.verbGates = new java.util.ArrayList<>();
            boolean unpinned = cp.needsAllEvents;
            for (io.chainwatch.pattern.StepDefinition st : cp.def.steps) {
                java.util.Set<String> r = st.where.requiredValues(RESOURCE);
                cp.resourceGates.add(r);
                cp.verbGates.add(st.where.requiredValues(VERB));
                if (r == null) {
                    unpinned = true;
                } else {
                    for (String v : r) {
                        pinned.computeIfAbsent(v, k -> new java.util.TreeSet<>()).add(cp.index);
                    }
                }
            }
            if (unpinned) {
                any.add(cp.index);
            }
        }
        anyResource = any.stream().mapToInt(Integer::intValue).toArray();
        byResource = new HashMap<>();
        pinned.forEach((resource, set) -> {
            set.addAll(any);
            byResource.put(resource, set.stream().mapToInt(Integer::intValue).toArray());
        });
    }

    /** Whether step {@code i} can match the event by its resource and verb (a cheap necessary condition). */
    private static boolean stepAdmits(CompiledPattern cp, int i, AuditEvent event) {
        java.util.Set<String> r = cp.resourceGates.get(i);
        java.util.Set<String> v = cp.verbGates.get(i);
        return (r == null || r.contains(event.resource)) && (v == null || v.contains(event.verb));
    }

    /** Whether some step of the pattern admits the event's resource and verb (a cheap necessary condition). */
    private static boolean admits(CompiledPattern cp, AuditEvent event) {
        if (cp.needsAllEvents) {
            return true;
        }
        for (int i = 0; i < cp.verbGates.size(); i++) {
            if (stepAdmits(cp, i, event)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void processElement(AuditEvent event, Context ctx, Collector<Alert> out) {
        Long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (ts != null && ts <= watermark) {
            counters.inc("events.late");
            ctx.output(deadLetters, DeadLetter.of(event.source, event.sourcePosition, "late",
                    "event time " + AuditTimestamps.formatMicros(event.eventTimeMicros)
                            + " is behind the watermark " + AuditTimestamps.formatMicros(watermark * 1000L)
                            + "; raise --max-out-of-orderness to evaluate such events",
                    "{\"auditID\":\"" + event.auditID + "\"}", DeadLetter.DEFAULT_MAX_TEXT));
            return;
        }
        int[] candidates = event.resource == null ? anyResource : byResource.getOrDefault(event.resource, anyResource);
        for (int c : candidates) {
            CompiledPattern cp = compiled.get(c);
            if (cp.def.isStateful()) {
                routeSequence(cp, event, ctx); // gates each step itself
            } else if (admits(cp, event) && cp.stepWhere[0].test(event)) {
                emitSingle(cp, event, out);
            }
        }
    }

    private void routeSequence(CompiledPattern cp, AuditEvent event, Context ctx) {
        long matched = 0;
        for (int i = 0; i < cp.def.steps.size(); i++) {
            if (stepAdmits(cp, i, event) && cp.stepWhere[i].test(event)) {
                matched |= 1L << i;
            }
        }
        if (matched == 0 && !cp.needsAllEvents) {
            return;
        }
        for (CompiledPattern.KeyGroup group : cp.keyGroups) {
            long mask = 0;
            for (int step : group.steps) {
                mask |= matched & (1L << step);
            }
            if (mask == 0 && !cp.needsAllEvents) {
                continue;
            }
            Map<String, String> keyValues = new HashMap<>();
            String key = AlertFactory.key(event, group.keyFields, keyValues);
            if (key == null) {
                counters.inc(cp.unkeyedCounter);
                continue;
            }
            PatternEvent slice = AlertFactory.slice(cp.def.id, event, key, keyValues, mask, cp.templatePaths);
            slice.escalationMask = escalations(cp, event, mask);
            ctx.output(tags.get(cp.index), slice);
        }
    }

    /** Which escalation rules the event meets, for the steps it satisfies. */
    private static long escalations(CompiledPattern cp, AuditEvent event, long stepMask) {
        long out = 0;
        for (int i = 0; i < cp.def.escalations.size(); i++) {
            io.chainwatch.pattern.Escalation e = cp.def.escalations.get(i);
            if (e.step != null) {
                int s = cp.def.stepIndex(e.step);
                if ((stepMask >>> s & 1L) == 0) {
                    continue;
                }
            }
            if (cp.escalationWhen[i].test(event)) {
                out |= 1L << i;
            }
        }
        return out;
    }

    private void emitSingle(CompiledPattern cp, AuditEvent event, Collector<Alert> out) {
        Map<String, String> keyValues = new HashMap<>();
        String key = AlertFactory.key(event, cp.def.key, keyValues);
        if (key == null) {
            // A single-event alert does not need its key to exist; report what there is.
            keyValues.clear();
            for (var k : cp.def.key) {
                String v = k.path.firstText(event);
                if (v != null) {
                    keyValues.put(k.name, v);
                }
            }
        }
        PatternEvent slice = AlertFactory.slice(cp.def.id, event, key, keyValues, 1L, cp.templatePaths);
        slice.escalationMask = escalations(cp, event, 1L);
        String step = cp.def.steps.get(0).name;
        Alert alert = AlertFactory.build(cp.def, List.of(new AlertFactory.StepMatch(step, slice)), System.currentTimeMillis());
        out.collect(alert);
    }
}
