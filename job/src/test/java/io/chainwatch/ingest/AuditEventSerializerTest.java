package io.chainwatch.ingest;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEventSerializerTest {

    static AuditEvent full() {
        AuditEvent e = new AuditEvent();
        e.cluster = "prod-eu-1";
        e.source = "/logs/prod-eu-1/audit-0001.log.gz";
        e.sourcePosition = 123_456_789_012L;
        e.sourceFormat = "audit";
        e.apiVersion = "audit.k8s.io/v1";
        e.level = "RequestResponse";
        e.auditID = "0b4f2c1e-9d2a-4a57-8f55-3b8f8a9d1c11";
        e.stage = "ResponseComplete";
        e.requestURI = "/api/v1/namespaces/shop/pods?fieldManager=kubectl";
        e.verb = "create";
        e.userName = "jane@example.com";
        e.userUID = "uid-1";
        e.userGroups = List.of("sre", "system:authenticated");
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put("authentication.kubernetes.io/pod-name", List.of("web-1"));
        extra.put("scopes", List.of());
        e.userExtra = extra;
        e.impersonatedUserName = "system:serviceaccount:kube-system:deployer";
        e.impersonatedGroups = List.of("system:serviceaccounts");
        e.sourceIPs = List.of("203.0.113.9", "10.0.0.1");
        e.userAgent = "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46 — ünïcødé";
        e.resource = "pods";
        e.namespace = "shop";
        e.name = "web-1";
        e.apiGroup = "";
        e.objectApiVersion = "v1";
        e.responseCode = 201;
        e.responseStatus = "Success";
        e.requestObject = "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}";
        e.eventTimeMicros = 1_793_000_000_123_456L;
        e.requestReceivedMicros = 1_793_000_000_100_000L;
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("authorization.k8s.io/decision", "allow");
        ann.put("authorization.k8s.io/reason", "");
        e.annotations = ann;
        e.principal = e.impersonatedUserName;
        e.saNamespace = "kube-system";
        e.saName = "deployer";
        e.podName = "web-1";
        e.credentialId = "JTI=abc";
        e.objectName = "web-1";
        e.clientIP = "203.0.113.9";
        e.peerIP = "10.0.0.1";
        e.responseClass = "2xx";
        e.decision = "allow";
        return e;
    }

    static AuditEvent roundTrip(TypeSerializer<AuditEvent> s, AuditEvent e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        AuditEvent back = s.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    @Test
    void flinkUsesItForAuditEvents() {
        TypeInformation<AuditEvent> type = TypeInformation.of(AuditEvent.class);
        assertThat(type).isInstanceOf(AuditEventTypeInfo.class);
        assertThat(type.createSerializer(new SerializerConfigImpl())).isSameAs(AuditEventSerializer.INSTANCE);
    }

    @Test
    void everyFieldSurvivesARoundTripAndACopy() throws Exception {
        AuditEvent e = full();
        assertThat(roundTrip(AuditEventSerializer.INSTANCE, e)).isEqualTo(e).usingRecursiveComparison().isEqualTo(e);
        assertThat(AuditEventSerializer.INSTANCE.copy(e)).usingRecursiveComparison().isEqualTo(e);
    }

    @Test
    void deserializingNeverFillsTheReuseInstance() throws Exception {
        // the prefilter's memoised conditions recognise the event they last saw by identity
        AuditEvent reuse = full();
        DataOutputSerializer out = new DataOutputSerializer(256);
        AuditEventSerializer.INSTANCE.serialize(full(), out);
        AuditEvent back = AuditEventSerializer.INSTANCE.deserialize(reuse, new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isNotSameAs(reuse).isEqualTo(reuse);
    }

    @Test
    void nullsAndEmptiesStayDistinct() throws Exception {
        AuditEvent e = new AuditEvent();
        e.auditID = "";
        e.userGroups = List.of();
        e.annotations = Map.of();
        AuditEvent back = roundTrip(AuditEventSerializer.INSTANCE, e);
        assertThat(back.auditID).isEmpty();
        assertThat(back.cluster).isNull();
        assertThat(back.userGroups).isEmpty();
        assertThat(back.sourceIPs).isNull();
        assertThat(back.annotations).isEmpty();
        assertThat(back.userExtra).isNull();
        assertThat(back.responseCode).isNull();
        assertThat(back.requestReceivedMicros).isNull();
    }

    @Test
    void aRestoredSnapshotIsCompatible() throws Exception {
        TypeSerializerSnapshot<AuditEvent> snap = AuditEventSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        TypeSerializerSnapshot<AuditEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<AuditEvent> c = AuditEventSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(restored);
        assertThat(c.isCompatibleAsIs()).isTrue();
        assertThat(roundTrip(restored.restoreSerializer(), full())).usingRecursiveComparison().isEqualTo(full());
    }
}
