package io.chainwatch.history;

import io.chainwatch.ingest.AuditEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts between {@link AuditEvent} and history rows; the two directions are exact inverses. */
public final class HistoryRecords {

    private HistoryRecords() {}

    public static GenericRecord toRecord(AuditEvent e, Schema schema) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("cluster", e.cluster);
        r.put("auditID", e.auditID);
        r.put("eventTime", e.eventTimeMicros);
        r.put("requestReceivedTime", e.requestReceivedMicros);
        r.put("stage", e.stage);
        r.put("level", e.level);
        r.put("apiVersion", e.apiVersion);
        r.put("verb", e.verb);
        r.put("requestURI", e.requestURI);
        r.put("userAgent", e.userAgent);
        r.put("userName", e.userName);
        r.put("userUID", e.userUID);
        r.put("userGroups", e.userGroups);
        r.put("userExtra", e.userExtra);
        r.put("impersonatedUserName", e.impersonatedUserName);
        r.put("impersonatedGroups", e.impersonatedGroups);
        r.put("sourceIPs", e.sourceIPs);
        r.put("resource", e.resource);
        r.put("subresource", e.subresource);
        r.put("namespace", e.namespace);
        r.put("name", e.name);
        r.put("apiGroup", e.apiGroup);
        r.put("objectApiVersion", e.objectApiVersion);
        r.put("objectUID", e.objectUID);
        r.put("responseCode", e.responseCode);
        r.put("responseStatus", e.responseStatus);
        r.put("responseReason", e.responseReason);
        r.put("responseMessage", e.responseMessage);
        r.put("annotations", e.annotations);
        r.put("requestObject", e.requestObject);
        r.put("responseObject", e.responseObject);
        r.put("principal", e.principal);
        r.put("saNamespace", e.saNamespace);
        r.put("saName", e.saName);
        r.put("podName", e.podName);
        r.put("credentialId", e.credentialId);
        r.put("objectName", e.objectName);
        r.put("clientIP", e.clientIP);
        r.put("peerIP", e.peerIP);
        r.put("responseClass", e.responseClass);
        r.put("decision", e.decision);
        r.put("source", e.source);
        r.put("sourcePosition", e.sourcePosition);
        r.put("sourceFormat", e.sourceFormat);
        return r;
    }

    public static AuditEvent fromRecord(GenericRecord r) {
        AuditEvent e = new AuditEvent();
        e.cluster = str(r, "cluster");
        e.auditID = str(r, "auditID");
        e.eventTimeMicros = (Long) r.get("eventTime");
        e.requestReceivedMicros = (Long) get(r, "requestReceivedTime");
        e.stage = str(r, "stage");
        e.level = str(r, "level");
        e.apiVersion = str(r, "apiVersion");
        e.verb = str(r, "verb");
        e.requestURI = str(r, "requestURI");
        e.userAgent = str(r, "userAgent");
        e.userName = str(r, "userName");
        e.userUID = str(r, "userUID");
        e.userGroups = strList(get(r, "userGroups"));
        Object extra = get(r, "userExtra");
        if (extra != null) {
            Map<String, List<String>> m = new HashMap<>();
            ((Map<?, ?>) extra).forEach((k, v) -> m.put(k.toString(), strList(v)));
            e.userExtra = m;
        }
        e.impersonatedUserName = str(r, "impersonatedUserName");
        e.impersonatedGroups = strList(get(r, "impersonatedGroups"));
        e.sourceIPs = strList(get(r, "sourceIPs"));
        e.resource = str(r, "resource");
        e.subresource = str(r, "subresource");
        e.namespace = str(r, "namespace");
        e.name = str(r, "name");
        e.apiGroup = str(r, "apiGroup");
        e.objectApiVersion = str(r, "objectApiVersion");
        e.objectUID = str(r, "objectUID");
        e.responseCode = (Integer) get(r, "responseCode");
        e.responseStatus = str(r, "responseStatus");
        e.responseReason = str(r, "responseReason");
        e.responseMessage = str(r, "responseMessage");
        Object ann = get(r, "annotations");
        if (ann != null) {
            Map<String, String> m = new HashMap<>();
            ((Map<?, ?>) ann).forEach((k, v) -> m.put(k.toString(), v == null ? null : v.toString()));
            e.annotations = m;
        }
        e.requestObject = str(r, "requestObject");
        e.responseObject = str(r, "responseObject");
        e.principal = str(r, "principal");
        e.saNamespace = str(r, "saNamespace");
        e.saName = str(r, "saName");
        e.podName = str(r, "podName");
        e.credentialId = str(r, "credentialId");
        e.objectName = str(r, "objectName");
        e.clientIP = str(r, "clientIP");
        e.peerIP = str(r, "peerIP");
        e.responseClass = str(r, "responseClass");
        e.decision = str(r, "decision");
        e.source = str(r, "source");
        Object position = get(r, "sourcePosition");
        e.sourcePosition = position == null ? 0L : (Long) position;
        e.sourceFormat = str(r, "sourceFormat");
        return e;
    }

    /** A field's value, or null when a projected read left the column out. */
    private static Object get(GenericRecord r, String field) {
        return r.getSchema().getField(field) == null ? null : r.get(field);
    }

    private static String str(GenericRecord r, String field) {
        Object v = get(r, field);
        return v == null ? null : v.toString();
    }

    private static List<String> strList(Object v) {
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            out.add(o == null ? null : o.toString());
        }
        return out;
    }
}
