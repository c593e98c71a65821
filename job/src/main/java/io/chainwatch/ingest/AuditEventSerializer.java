package io.chainwatch.ingest;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.chainwatch.ingest.CompactCodec.copyListMap;
import static io.chainwatch.ingest.CompactCodec.readList;
import static io.chainwatch.ingest.CompactCodec.readListMap;
import static io.chainwatch.ingest.CompactCodec.readMap;
import static io.chainwatch.ingest.CompactCodec.readNullableInt;
import static io.chainwatch.ingest.CompactCodec.readNullableLong;
import static io.chainwatch.ingest.CompactCodec.readString;
import static io.chainwatch.ingest.CompactCodec.writeList;
import static io.chainwatch.ingest.CompactCodec.writeListMap;
import static io.chainwatch.ingest.CompactCodec.writeMap;
import static io.chainwatch.ingest.CompactCodec.writeNullableInt;
import static io.chainwatch.ingest.CompactCodec.writeNullableLong;
import static io.chainwatch.ingest.CompactCodec.writeString;

/**
 * Flink serializer of {@link AuditEvent}: every event crosses at least one shuffle (the dedupe by auditID)
 * and, in BATCH mode, a sort buffer, so its cost is paid two to four times per event. The POJO serializer
 * writes text char by char ({@code StringValue}); this one writes each text as its UTF-8 bytes with a
 * length, which for the ASCII that audit logs are made of is an array copy each way. Measured with
 * {@code chainwatch bench} (docs/performance.md).
 *
 * <p>Layout, in field order: texts as varint(length + 1) then UTF-8 bytes (0 = null); numbers as longs or a
 * presence byte and the value; lists and maps as varint(size + 1) then their items. Version 1 of the
 * snapshot; a change of layout must bump it.
 */
public final class AuditEventSerializer extends TypeSerializerSingleton<AuditEvent> {

    private static final long serialVersionUID = 1L;

    public static final AuditEventSerializer INSTANCE = new AuditEventSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public AuditEvent createInstance() {
        return new AuditEvent();
    }

    @Override
    public AuditEvent copy(AuditEvent e) {
        AuditEvent c = new AuditEvent();
        c.cluster = e.cluster;
        c.source = e.source;
        c.sourcePosition = e.sourcePosition;
        c.sourceFormat = e.sourceFormat;
        c.apiVersion = e.apiVersion;
        c.level = e.level;
        c.auditID = e.auditID;
        c.stage = e.stage;
        c.requestURI = e.requestURI;
        c.verb = e.verb;
        c.userName = e.userName;
        c.userUID = e.userUID;
        c.userGroups = e.userGroups == null ? null : new ArrayList<>(e.userGroups);
        c.userExtra = copyListMap(e.userExtra);
        c.impersonatedUserName = e.impersonatedUserName;
        c.impersonatedGroups = e.impersonatedGroups == null ? null : new ArrayList<>(e.impersonatedGroups);
        c.sourceIPs = e.sourceIPs == null ? null : new ArrayList<>(e.sourceIPs);
        c.userAgent = e.userAgent;
        c.resource = e.resource;
        c.subresource = e.subresource;
        c.namespace = e.namespace;
        c.name = e.name;
        c.apiGroup = e.apiGroup;
        c.objectApiVersion = e.objectApiVersion;
        c.objectUID = e.objectUID;
        c.responseCode = e.responseCode;
        c.responseStatus = e.responseStatus;
        c.responseReason = e.responseReason;
        c.responseMessage = e.responseMessage;
        c.requestObject = e.requestObject;
        c.responseObject = e.responseObject;
        c.eventTimeMicros = e.eventTimeMicros;
        c.requestReceivedMicros = e.requestReceivedMicros;
        c.annotations = e.annotations == null ? null : new LinkedHashMap<>(e.annotations);
        c.principal = e.principal;
        c.saNamespace = e.saNamespace;
        c.saName = e.saName;
        c.podName = e.podName;
        c.credentialId = e.credentialId;
        c.objectName = e.objectName;
        c.clientIP = e.clientIP;
        c.peerIP = e.peerIP;
        c.responseClass = e.responseClass;
        c.decision = e.decision;
        return c;
    }

    @Override
    public AuditEvent copy(AuditEvent from, AuditEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(AuditEvent e, DataOutputView out) throws IOException {
        writeString(out, e.cluster);
        writeString(out, e.source);
        out.writeLong(e.sourcePosition);
        writeString(out, e.sourceFormat);
        writeString(out, e.apiVersion);
        writeString(out, e.level);
        writeString(out, e.auditID);
        writeString(out, e.stage);
        writeString(out, e.requestURI);
        writeString(out, e.verb);
        writeString(out, e.userName);
        writeString(out, e.userUID);
        writeList(out, e.userGroups);
        writeListMap(out, e.userExtra);
        writeString(out, e.impersonatedUserName);
        writeList(out, e.impersonatedGroups);
        writeList(out, e.sourceIPs);
        writeString(out, e.userAgent);
        writeString(out, e.resource);
        writeString(out, e.subresource);
        writeString(out, e.namespace);
        writeString(out, e.name);
        writeString(out, e.apiGroup);
        writeString(out, e.objectApiVersion);
        writeString(out, e.objectUID);
        writeNullableInt(out, e.responseCode);
        writeString(out, e.responseStatus);
        writeString(out, e.responseReason);
        writeString(out, e.responseMessage);
        writeString(out, e.requestObject);
        writeString(out, e.responseObject);
        out.writeLong(e.eventTimeMicros);
        writeNullableLong(out, e.requestReceivedMicros);
        writeMap(out, e.annotations);
        writeString(out, e.principal);
        writeString(out, e.saNamespace);
        writeString(out, e.saName);
        writeString(out, e.podName);
        writeString(out, e.credentialId);
        writeString(out, e.objectName);
        writeString(out, e.clientIP);
        writeString(out, e.peerIP);
        writeString(out, e.responseClass);
        writeString(out, e.decision);
    }

    @Override
    public AuditEvent deserialize(DataInputView in) throws IOException {
        AuditEvent e = new AuditEvent();
        e.cluster = readString(in);
        e.source = readString(in);
        e.sourcePosition = in.readLong();
        e.sourceFormat = readString(in);
        e.apiVersion = readString(in);
        e.level = readString(in);
        e.auditID = readString(in);
        e.stage = readString(in);
        e.requestURI = readString(in);
        e.verb = readString(in);
        e.userName = readString(in);
        e.userUID = readString(in);
        e.userGroups = readList(in);
        e.userExtra = readListMap(in);
        e.impersonatedUserName = readString(in);
        e.impersonatedGroups = readList(in);
        e.sourceIPs = readList(in);
        e.userAgent = readString(in);
        e.resource = readString(in);
        e.subresource = readString(in);
        e.namespace = readString(in);
        e.name = readString(in);
        e.apiGroup = readString(in);
        e.objectApiVersion = readString(in);
        e.objectUID = readString(in);
        e.responseCode = readNullableInt(in);
        e.responseStatus = readString(in);
        e.responseReason = readString(in);
        e.responseMessage = readString(in);
        e.requestObject = readString(in);
        e.responseObject = readString(in);
        e.eventTimeMicros = in.readLong();
        e.requestReceivedMicros = readNullableLong(in);
        e.annotations = readMap(in);
        e.principal = readString(in);
        e.saNamespace = readString(in);
        e.saName = readString(in);
        e.podName = readString(in);
        e.credentialId = readString(in);
        e.objectName = readString(in);
        e.clientIP = readString(in);
        e.peerIP = readString(in);
        e.responseClass = readString(in);
        e.decision = readString(in);
        return e;
    }

    @Override
    public AuditEvent deserialize(AuditEvent reuse, DataInputView in) throws IOException {
        // never fill reuse: events are immutable, and the prefilter's memoised conditions recognise
        // the event they last saw by identity
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<AuditEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AuditEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
