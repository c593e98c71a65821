package io.chainwatch.detect;

import io.chainwatch.alert.AlertEvidence;
import io.chainwatch.ingest.CompactCodec;
import io.chainwatch.ingest.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.chainwatch.ingest.CompactCodec.readNullableInt;
import static io.chainwatch.ingest.CompactCodec.readNullableLong;
import static io.chainwatch.ingest.CompactCodec.readString;
import static io.chainwatch.ingest.CompactCodec.writeNullableInt;
import static io.chainwatch.ingest.CompactCodec.writeNullableLong;
import static io.chainwatch.ingest.CompactCodec.writeString;

/**
 * Flink serializer of {@link PatternEvent}: every slice the router sends to a stateful pattern crosses a
 * shuffle, in BATCH mode a sort, and sits in CEP's buffers, where the POJO serializer's char-by-char text
 * was a third of the sequence operator's time. Same compact encoding as the audit events
 * ({@link CompactCodec}). Version 1 of the snapshot; a change of layout must bump it.
 */
public final class PatternEventSerializer extends TypeSerializerSingleton<PatternEvent> {

    private static final long serialVersionUID = 1L;

    public static final PatternEventSerializer INSTANCE = new PatternEventSerializer();

    /** Flink type of {@link PatternEvent}, picked up through {@code @TypeInfo}. */
    public static final class TypeInfo extends SerializerTypeInfo<PatternEvent> {
        private static final long serialVersionUID = 1L;

        public TypeInfo() {
            super(PatternEvent.class, INSTANCE);
        }
    }

    /** The {@code @TypeInfo} factory on {@link PatternEvent}. */
    public static final class Factory extends TypeInfoFactory<PatternEvent> {
        @Override
        public TypeInformation<PatternEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new TypeInfo();
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public PatternEvent createInstance() {
        return new PatternEvent();
    }

    @Override
    public PatternEvent copy(PatternEvent e) {
        PatternEvent c = new PatternEvent();
        c.patternId = e.patternId;
        c.cluster = e.cluster;
        c.key = e.key;
        c.keyFields = e.keyFields == null ? null : new LinkedHashMap<>(e.keyFields);
        c.stepMask = e.stepMask;
        c.escalationMask = e.escalationMask;
        c.eventTimeMicros = e.eventTimeMicros;
        c.requestReceivedMicros = e.requestReceivedMicros;
        c.evidence = copy(e.evidence);
        c.fields = CompactCodec.copyListMap(e.fields);
        return c;
    }

    private static AlertEvidence copy(AlertEvidence e) {
        if (e == null) {
            return null;
        }
        AlertEvidence c = new AlertEvidence();
        c.step = e.step;
        c.auditID = e.auditID;
        c.time = e.time;
        c.verb = e.verb;
        c.user = e.user;
        c.sourceIP = e.sourceIP;
        c.userAgent = e.userAgent;
        c.resource = e.resource;
        c.subresource = e.subresource;
        c.namespace = e.namespace;
        c.name = e.name;
        c.responseCode = e.responseCode;
        return c;
    }

    @Override
    public PatternEvent copy(PatternEvent from, PatternEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PatternEvent e, DataOutputView out) throws IOException {
        writeString(out, e.patternId);
        writeString(out, e.cluster);
        writeString(out, e.key);
        CompactCodec.writeMap(out, e.keyFields);
        out.writeLong(e.stepMask);
        out.writeLong(e.escalationMask);
        out.writeLong(e.eventTimeMicros);
        writeNullableLong(out, e.requestReceivedMicros);
        AlertEvidence v = e.evidence;
        out.writeBoolean(v != null);
        if (v != null) {
            writeString(out, v.step);
            writeString(out, v.auditID);
            writeString(out, v.time);
            writeString(out, v.verb);
            writeString(out, v.user);
            writeString(out, v.sourceIP);
            writeString(out, v.userAgent);
            writeString(out, v.resource);
            writeString(out, v.subresource);
            writeString(out, v.namespace);
            writeString(out, v.name);
            writeNullableInt(out, v.responseCode);
        }
        CompactCodec.writeListMap(out, e.fields);
    }

    @Override
    public PatternEvent deserialize(DataInputView in) throws IOException {
        PatternEvent e = new PatternEvent();
        e.patternId = readString(in);
        e.cluster = readString(in);
        e.key = readString(in);
        e.keyFields = CompactCodec.readMap(in);
        e.stepMask = in.readLong();
        e.escalationMask = in.readLong();
        e.eventTimeMicros = in.readLong();
        e.requestReceivedMicros = readNullableLong(in);
        if (in.readBoolean()) {
            AlertEvidence v = new AlertEvidence();
            v.step = readString(in);
            v.auditID = readString(in);
            v.time = readString(in);
            v.verb = readString(in);
            v.user = readString(in);
            v.sourceIP = readString(in);
            v.userAgent = readString(in);
            v.resource = readString(in);
            v.subresource = readString(in);
            v.namespace = readString(in);
            v.name = readString(in);
            v.responseCode = readNullableInt(in);
            e.evidence = v;
        }
        e.fields = CompactCodec.readListMap(in);
        return e;
    }

    @Override
    public PatternEvent deserialize(PatternEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<PatternEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PatternEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
