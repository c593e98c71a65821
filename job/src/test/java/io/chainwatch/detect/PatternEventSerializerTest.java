package io.chainwatch.detect;

import io.chainwatch.alert.AlertEvidence;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PatternEventSerializerTest {

    static PatternEvent full() {
        PatternEvent e = new PatternEvent();
        e.patternId = "privileged-pod-then-exec";
        e.cluster = "prod-eu-1";
        e.key = "prod-eu-1\u0001jane@example.com\u0001shop/web-1";
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("actor", "jane@example.com");
        keys.put("pod", "shop/web-1");
        e.keyFields = keys;
        e.stepMask = 0b101;
        e.escalationMask = 1L << 40;
        e.eventTimeMicros = 1_793_000_000_123_456L;
        e.requestReceivedMicros = 1_793_000_000_100_000L;
        AlertEvidence v = new AlertEvidence();
        v.step = "exec";
        v.auditID = "0b4f2c1e-9d2a-4a57-8f55-3b8f8a9d1c11";
        v.time = "2026-11-01T10:00:00.123456Z";
        v.verb = "create";
        v.user = "jane@example.com";
        v.sourceIP = "203.0.113.9";
        v.userAgent = "kubectl/v1.31.2 — ünïcødé";
        v.resource = "pods";
        v.subresource = "exec";
        v.namespace = "shop";
        v.name = "web-1";
        v.responseCode = 101;
        e.evidence = v;
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("requestObject.spec.containers[*].image", List.of("nginx", "busybox"));
        fields.put("verb", List.of("create"));
        e.fields = fields;
        return e;
    }

    static PatternEvent roundTrip(TypeSerializer<PatternEvent> s, PatternEvent e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        PatternEvent back = s.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    @Test
    void flinkUsesItForPatternEvents() {
        TypeInformation<PatternEvent> type = TypeInformation.of(PatternEvent.class);
        assertThat(type).isInstanceOf(PatternEventSerializer.TypeInfo.class);
        assertThat(type.createSerializer(new SerializerConfigImpl())).isSameAs(PatternEventSerializer.INSTANCE);
    }

    @Test
    void everyFieldSurvivesARoundTripAndACopy() throws Exception {
        PatternEvent e = full();
        assertThat(roundTrip(PatternEventSerializer.INSTANCE, e)).usingRecursiveComparison().isEqualTo(e);
        PatternEvent copy = PatternEventSerializer.INSTANCE.copy(e);
        assertThat(copy).usingRecursiveComparison().isEqualTo(e);
        assertThat(copy.fields).isNotSameAs(e.fields);
        assertThat(copy.evidence).isNotSameAs(e.evidence);
    }

    @Test
    void nullsStayNull() throws Exception {
        PatternEvent e = new PatternEvent();
        e.patternId = "p";
        PatternEvent back = roundTrip(PatternEventSerializer.INSTANCE, e);
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
        assertThat(back.evidence).isNull();
        assertThat(back.fields).isNull();
        assertThat(back.requestReceivedMicros).isNull();
    }

    @Test
    void aRestoredSnapshotReadsWhatWasWritten() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, PatternEventSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<PatternEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(PatternEventSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        assertThat(roundTrip(restored.restoreSerializer(), full())).usingRecursiveComparison().isEqualTo(full());
    }

    @Test
    void theSequenceKeyIsFixedLengthAndSeparatesPatternsAndKeys() {
        PatternEvent a = full();
        PatternEvent sameKeyOtherPattern = full();
        sameKeyOtherPattern.patternId = "exec-then-pod-token-reuse";
        PatternEvent otherKey = full();
        otherKey.key = "prod-eu-1\u0001bob@example.com\u0001shop/web-1";
        Tuple3<Integer, Long, Long> k = SequenceOperator.key(a);
        assertThat(SequenceOperator.key(full())).isEqualTo(k);
        assertThat(SequenceOperator.key(sameKeyOtherPattern)).isNotEqualTo(k);
        assertThat(SequenceOperator.key(otherKey).f0).isEqualTo(k.f0);
        assertThat(SequenceOperator.key(otherKey)).isNotEqualTo(k);
        assertThat(SequenceOperator.KEY_TYPE.createSerializer(new SerializerConfigImpl()).getLength()).isPositive();
    }
}
