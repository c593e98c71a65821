package io.chainwatch.history;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Parquet history schema, version 1 (documented in {@code docs/history.md}). Typed top-level columns,
 * the request and response objects as JSON text, annotations and {@code user.extra} as maps. Partitioned
 * Hive-style by event time: {@code dt=YYYY-MM-DD/hour=HH} (UTC).
 */
public final class HistorySchema {

    public static final int VERSION = 1;

    public static final Schema SCHEMA = build();

    private HistorySchema() {}

    private static Schema build() {
        Schema timestampMicros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        Schema optTimestampMicros = Schema.createUnion(Schema.create(Schema.Type.NULL), timestampMicros);
        Schema optStringList = SchemaBuilder.unionOf().nullType().and().array().items().stringType().endUnion();
        return SchemaBuilder.record("AuditEventRow").namespace("io.chainwatch.history")
                .doc("One deduplicated Kubernetes API request (chainwatch history schema v" + VERSION + ")")
                .fields()
                .name("cluster").type().nullable().stringType().noDefault()
                .name("auditID").type().stringType().noDefault()
                .name("eventTime").doc("stageTimestamp (or its fallback), UTC").type(timestampMicros).noDefault()
                .name("requestReceivedTime").type(optTimestampMicros).noDefault()
                .name("stage").type().nullable().stringType().noDefault()
                .name("level").type().nullable().stringType().noDefault()
                .name("apiVersion").type().nullable().stringType().noDefault()
                .name("verb").type().nullable().stringType().noDefault()
                .name("requestURI").type().nullable().stringType().noDefault()
                .name("userAgent").type().nullable().stringType().noDefault()
                .name("userName").type().nullable().stringType().noDefault()
                .name("userUID").type().nullable().stringType().noDefault()
                .name("userGroups").type(optStringList).noDefault()
                .name("userExtra").type().nullable().map().values().array().items().stringType().noDefault()
                .name("impersonatedUserName").type().nullable().stringType().noDefault()
                .name("impersonatedGroups").type(optStringList).noDefault()
                .name("sourceIPs").type(optStringList).noDefault()
                .name("resource").type().nullable().stringType().noDefault()
                .name("subresource").type().nullable().stringType().noDefault()
                .name("namespace").type().nullable().stringType().noDefault()
                .name("name").type().nullable().stringType().noDefault()
                .name("apiGroup").type().nullable().stringType().noDefault()
                .name("objectApiVersion").type().nullable().stringType().noDefault()
                .name("objectUID").type().nullable().stringType().noDefault()
                .name("responseCode").type().nullable().intType().noDefault()
                .name("responseStatus").type().nullable().stringType().noDefault()
                .name("responseReason").type().nullable().stringType().noDefault()
                .name("responseMessage").type().nullable().stringType().noDefault()
                .name("annotations").type().nullable().map().values().stringType().noDefault()
                .name("requestObject").doc("JSON text, secrets redacted").type().nullable().stringType().noDefault()
                .name("responseObject").doc("JSON text, secrets redacted").type().nullable().stringType().noDefault()
                .name("principal").type().nullable().stringType().noDefault()
                .name("saNamespace").type().nullable().stringType().noDefault()
                .name("saName").type().nullable().stringType().noDefault()
                .name("podName").type().nullable().stringType().noDefault()
                .name("credentialId").type().nullable().stringType().noDefault()
                .name("objectName").type().nullable().stringType().noDefault()
                .name("clientIP").type().nullable().stringType().noDefault()
                .name("peerIP").type().nullable().stringType().noDefault()
                .name("responseClass").type().nullable().stringType().noDefault()
                .name("decision").type().nullable().stringType().noDefault()
                .name("source").doc("file or stream the event was read from").type().nullable().stringType().noDefault()
                .name("sourcePosition").type().longType().noDefault()
                .name("sourceFormat").doc("envelope: audit, aks, eks or gke").type().nullable().stringType().noDefault()
                .endRecord();
    }
}
