package io.chainwatch.detect;

import io.chainwatch.alert.Alert;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.StepDefinition;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.time.TimerService;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Collection;
import org.apache.flink.api.java.tuple.Tuple3;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Every sequence pattern of the pack in one keyed operator: Flink CEP's NFA, one per pattern, over one keyed
 * stream keyed by the pattern and the event's correlation key ({@link #key}).
 *
 * <p>Flink's {@code CepOperator} runs one pattern, so a pack of N sequences was N keyed operators, each with its
 * own shuffle, tasks, network buffers and sort; the job graph grew with the pack until a few hundred patterns
 * no longer fit a TaskManager. This operator does what {@code CepOperator} does (buffer each key's events by
 * event time, feed them to the NFA in order when the watermark passes, advance time to expire partial matches,
 * report late events) with the pattern chosen by the key, so the topology is the same for 3 patterns or 300.
 * State is keyed by pattern and key, so patterns never see each other's events, and adding or removing a
 * pattern leaves the others' state (and the operator's uid) as it is.
 *
 * <p>The NFA, SharedBuffer and NFAState are flink-cep's own; only the operator around them is ours.
 */
public class SequenceOperator extends AbstractStreamOperator<Alert>
        implements OneInputStreamOperator<PatternEvent, Alert>, Triggerable<Tuple3<Integer, Long, Long>, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    /** The key's Flink type: fixed-length, so that BATCH mode sorts the input by byte comparison. */
    public static final TypeInformation<Tuple3<Integer, Long, Long>> KEY_TYPE = PatternKeys.TYPE;

    private final List<PatternDefinition> sequences;
    private final OutputTag<PatternEvent> lateTag;
    private final SequenceCompiler.EventOrder order = new SequenceCompiler.EventOrder();

    /** By {@link #patternHash}, the first field of the key. */
    private transient Map<Integer, Compiled> byHash;
    private transient ValueState<NFAState> computationStates;
    private transient MapState<Long, List<PatternEvent>> elementQueue;
    private transient SharedBuffer<PatternEvent> partialMatches;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient TimerService cepTimers;

    /** One pattern's NFA and what its matches become. */
    private static final class Compiled {
        final PatternDefinition def;
        final NFA<PatternEvent> nfa;
        final AfterMatchSkipStrategy skip;

        Compiled(PatternDefinition def, NFA<PatternEvent> nfa, AfterMatchSkipStrategy skip) {
            this.def = def;
            this.nfa = nfa;
            this.skip = skip;
        }
    }

    public SequenceOperator(List<PatternDefinition> sequences, OutputTag<PatternEvent> lateTag) {
        PatternKeys.checkUnique(sequences, "sequence");
        this.sequences = List.copyOf(sequences);
        this.lateTag = lateTag;
    }

    /**
     * The key the stream must be keyed by: the pattern (the hash of its id, which the constructor checks to be
     * unique in the pack) and 128 bits of the correlation key (cluster and key values, see {@link KeyHash}).
     */
    public static Tuple3<Integer, Long, Long> key(PatternEvent e) {
        return PatternKeys.of(e);
    }

    static int patternHash(String patternId) {
        return PatternKeys.patternHash(patternId);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        TypeSerializer<PatternEvent> serializer = PatternEventSerializer.INSTANCE;
        computationStates = context.getKeyedStateStore()
                .getState(new ValueStateDescriptor<>("nfaStateName", new NFAStateSerializer()));
        partialMatches = new SharedBuffer<>(context.getKeyedStateStore(), serializer);
        elementQueue = context.getKeyedStateStore()
                .getMapState(new MapStateDescriptor<>("eventQueuesStateName", LongSerializer.INSTANCE, new ListSerializer<>(serializer)));
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService("watermark-callbacks", VoidNamespaceSerializer.INSTANCE, this);
        cepTimers = () -> timers.currentProcessingTime();
        byHash = new HashMap<>();
        for (PatternDefinition def : sequences) {
            Pattern<PatternEvent, PatternEvent> p = SequenceCompiler.compile(def);
            NFA<PatternEvent> nfa = NFACompiler.compileFactory(p, false).createNFA();
            nfa.open(getRuntimeContext(), new Configuration());
            AfterMatchSkipStrategy skip = p.getAfterMatchSkipStrategy();
            byHash.put(patternHash(def.id), new Compiled(def, nfa, skip == null ? AfterMatchSkipStrategy.noSkip() : skip));
        }
    }

    @Override
    public void close() throws Exception {
        super.close();
        if (byHash != null) {
            for (Compiled c : byHash.values()) {
                c.nfa.close();
            }
        }
        if (partialMatches != null) {
            partialMatches.releaseCacheStatisticsTimer();
        }
    }

    @Override
    public void processElement(StreamRecord<PatternEvent> element) throws Exception {
        long timestamp = element.getTimestamp();
        if (timestamp > timers.currentWatermark()) {
            List<PatternEvent> atTime = elementQueue.get(timestamp);
            if (atTime == null) {
                atTime = new ArrayList<>();
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, timestamp);
            }
            atTime.add(element.getValue());
            elementQueue.put(timestamp, atTime);
        } else {
            output.collect(lateTag, element);
        }
    }

    @Override
    public void onEventTime(InternalTimer<Tuple3<Integer, Long, Long>, VoidNamespace> timer) throws Exception {
        Compiled c = byHash.get(timer.getKey().f0);
        if (c == null) {
            // state of a pattern that is no longer in the pack (restored from a savepoint): let it go
            elementQueue.clear();
            computationStates.clear();
            return;
        }
        PriorityQueue<Long> times = new PriorityQueue<>();
        for (Long t : elementQueue.keys()) {
            times.offer(t);
        }
        NFAState state = computationStates.value();
        if (state == null) {
            state = c.nfa.createInitialNFAState();
        }
        long watermark = timers.currentWatermark();
        while (!times.isEmpty() && times.peek() <= watermark) {
            long t = times.poll();
            advanceTime(c, state, t);
            List<PatternEvent> events = new ArrayList<>(elementQueue.get(t));
            events.sort(order);
            for (PatternEvent e : events) {
                processEvent(c, state, e, t);
            }
            elementQueue.remove(t);
        }
        advanceTime(c, state, watermark);
        if (state.isStateChanged()) {
            state.resetStateChanged();
            state.resetNewStartPartialMatch();
            computationStates.update(state);
        }
        // no partial match left but the start state: drop the key's NFA state, as CepOperator does
        if (state.getPartialMatches().size() == 1 && state.getCompletedMatches().isEmpty()) {
            computationStates.clear();
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<Tuple3<Integer, Long, Long>, VoidNamespace> timer) {
        // event time only
    }

    private void processEvent(Compiled c, NFAState state, PatternEvent event, long timestamp) throws Exception {
        try (SharedBufferAccessor<PatternEvent> accessor = partialMatches.getAccessor()) {
            Collection<Map<String, List<PatternEvent>>> matches = c.nfa.process(accessor, state, event, timestamp, c.skip, cepTimers);
            if (c.nfa.getWindowTime() > 0 && state.isNewStartPartialMatch()) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, timestamp + c.nfa.getWindowTime());
            }
            emit(c, matches, timestamp);
        }
    }

    private void advanceTime(Compiled c, NFAState state, long timestamp) throws Exception {
        try (SharedBufferAccessor<PatternEvent> accessor = partialMatches.getAccessor()) {
            Tuple2<Collection<Map<String, List<PatternEvent>>>, Collection<Tuple2<Map<String, List<PatternEvent>>, Long>>> r =
                    c.nfa.advanceTime(accessor, state, timestamp, c.skip);
            emit(c, r.f0, timestamp);
        }
    }

    private void emit(Compiled c, Collection<Map<String, List<PatternEvent>>> matches, long timestamp) {
        for (Map<String, List<PatternEvent>> match : matches) {
            output.collect(new StreamRecord<>(alert(c.def, match), timestamp));
        }
    }

    /** A CEP match of a sequence as an {@link Alert}, evidence in step order. */
    static Alert alert(PatternDefinition def, Map<String, List<PatternEvent>> match) {
        List<AlertFactory.StepMatch> steps = new ArrayList<>();
        for (StepDefinition step : def.steps) {
            List<PatternEvent> events = match.get(step.name);
            if (events != null) {
                for (PatternEvent e : events) {
                    steps.add(new AlertFactory.StepMatch(step.name, e));
                }
            }
        }
        return AlertFactory.build(def, steps, System.currentTimeMillis());
    }
}
