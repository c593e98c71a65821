package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;

/**
 * Streams one stage of a {@link Request} as an {@code audit.k8s.io/v1} Event, with the API server's field order
 * and omissions: no responseStatus, bodies or authorization annotations at RequestReceived, requestObject from
 * level Request, responseObject at RequestResponse on ResponseComplete only. One instance per thread.
 */
final class AuditEventWriter {
    private static final SerializableString KIND = new SerializedString("kind");
    private static final SerializableString EVENT = new SerializedString("Event");
    private static final SerializableString API_VERSION = new SerializedString("apiVersion");
    private static final SerializableString AUDIT_V1 = new SerializedString("audit.k8s.io/v1");
    private static final SerializableString LEVEL = new SerializedString("level");
    private static final SerializableString AUDIT_ID = new SerializedString("auditID");
    private static final SerializableString STAGE = new SerializedString("stage");
    private static final SerializableString REQUEST_URI = new SerializedString("requestURI");
    private static final SerializableString VERB = new SerializedString("verb");
    private static final SerializableString USER = new SerializedString("user");
    private static final SerializableString USERNAME = new SerializedString("username");
    private static final SerializableString UID = new SerializedString("uid");
    private static final SerializableString GROUPS = new SerializedString("groups");
    private static final SerializableString EXTRA = new SerializedString("extra");
    private static final SerializableString IMPERSONATED_USER = new SerializedString("impersonatedUser");
    private static final SerializableString SOURCE_IPS = new SerializedString("sourceIPs");
    private static final SerializableString USER_AGENT = new SerializedString("userAgent");
    private static final SerializableString OBJECT_REF = new SerializedString("objectRef");
    private static final SerializableString RESOURCE = new SerializedString("resource");
    private static final SerializableString NAMESPACE = new SerializedString("namespace");
    private static final SerializableString NAME = new SerializedString("name");
    private static final SerializableString API_GROUP = new SerializedString("apiGroup");
    private static final SerializableString SUBRESOURCE = new SerializedString("subresource");
    private static final SerializableString RESPONSE_STATUS = new SerializedString("responseStatus");
    private static final SerializableString METADATA = new SerializedString("metadata");
    private static final SerializableString STATUS = new SerializedString("status");
    private static final SerializableString FAILURE = new SerializedString("Failure");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString REASON = new SerializedString("reason");
    private static final SerializableString DETAILS = new SerializedString("details");
    private static final SerializableString CODE = new SerializedString("code");
    private static final SerializableString REQUEST_OBJECT = new SerializedString("requestObject");
    private static final SerializableString RESPONSE_OBJECT = new SerializedString("responseObject");
    private static final SerializableString RECEIVED = new SerializedString("requestReceivedTimestamp");
    private static final SerializableString STAGE_TIMESTAMP = new SerializedString("stageTimestamp");
    private static final SerializableString ANNOTATIONS = new SerializedString("annotations");
    private static final SerializableString DECISION = new SerializedString("authorization.k8s.io/decision");
    private static final SerializableString AUTHZ_REASON = new SerializedString("authorization.k8s.io/reason");
    private static final SerializableString[] STAGES = {new SerializedString("RequestReceived"),
            new SerializedString("ResponseStarted"), new SerializedString("ResponseComplete")};

    private final Times times = new Times();

    void write(JsonGenerator g, Request r, byte stage, long time) throws IOException {
        boolean received = stage == Request.REQUEST_RECEIVED;
        g.writeStartObject();
        g.writeFieldName(KIND);
        g.writeString(EVENT);
        g.writeFieldName(API_VERSION);
        g.writeString(AUDIT_V1);
        g.writeFieldName(LEVEL);
        g.writeString(r.level.text);
        g.writeFieldName(AUDIT_ID);
        g.writeString(r.auditID);
        g.writeFieldName(STAGE);
        g.writeString(STAGES[stage]);
        g.writeFieldName(REQUEST_URI);
        g.writeString(r.requestURI);
        g.writeFieldName(VERB);
        g.writeString(r.verb);
        g.writeFieldName(USER);
        g.writeRawValue(r.user.userJson(r.received));
        if (r.impersonatedUser != null) {
            g.writeFieldName(IMPERSONATED_USER);
            g.writeStartObject();
            g.writeFieldName(USERNAME);
            g.writeString(r.impersonatedUser);
            if (r.impersonatedGroups != null) {
                g.writeFieldName(GROUPS);
                g.writeStartArray();
                for (String group : r.impersonatedGroups) {
                    g.writeString(group);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeFieldName(SOURCE_IPS);
        if (r.sourceIPs == r.user.sourceIPs) {
            g.writeRawValue(r.user.sourceIPsJson);
        } else {
            g.writeStartArray();
            for (String ip : r.sourceIPs) {
                g.writeString(ip);
            }
            g.writeEndArray();
        }
        if (r.userAgent != null) {
            g.writeFieldName(USER_AGENT);
            if (r.userAgent == r.user.userAgent) {
                g.writeString(r.user.userAgentJson);
            } else {
                g.writeString(r.userAgent);
            }
        }
        if (r.res != null) {
            g.writeFieldName(OBJECT_REF);
            g.writeStartObject();
            g.writeFieldName(RESOURCE);
            g.writeString(r.res.resource);
            if (r.namespace != null) {
                g.writeFieldName(NAMESPACE);
                g.writeString(r.namespace);
            }
            if (r.name != null) {
                g.writeFieldName(NAME);
                g.writeString(r.name);
            }
            if (!r.res.group.isEmpty()) {
                g.writeFieldName(API_GROUP);
                g.writeString(r.res.group);
            }
            g.writeFieldName(API_VERSION);
            g.writeString(r.res.version);
            if (r.subresource != null) {
                g.writeFieldName(SUBRESOURCE);
                g.writeString(r.subresource);
            }
            g.writeEndObject();
        }
        if (!received) {
            g.writeFieldName(RESPONSE_STATUS);
            g.writeStartObject();
            g.writeFieldName(METADATA);
            g.writeStartObject();
            g.writeEndObject();
            if (r.failureReason != null) {
                g.writeFieldName(STATUS);
                g.writeString(FAILURE);
                g.writeFieldName(MESSAGE);
                g.writeString(r.failureMessage);
                g.writeFieldName(REASON);
                g.writeString(r.failureReason);
                if (r.res != null) {
                    g.writeFieldName(DETAILS);
                    g.writeStartObject();
                    if (r.name != null) {
                        g.writeFieldName(NAME);
                        g.writeString(r.name);
                    }
                    g.writeFieldName(KIND);
                    g.writeString(r.res.resource);
                    g.writeEndObject();
                }
            }
            g.writeFieldName(CODE);
            g.writeNumber(r.code);
            g.writeEndObject();
            if (r.requestObject != null && r.level != Request.Level.METADATA) {
                g.writeFieldName(REQUEST_OBJECT);
                r.requestObject.write(g);
            }
            if (r.responseObject != null && r.level == Request.Level.REQUEST_RESPONSE
                    && stage == Request.RESPONSE_COMPLETE && r.failureReason == null) {
                g.writeFieldName(RESPONSE_OBJECT);
                r.responseObject.write(g);
            }
        }
        g.writeFieldName(RECEIVED);
        g.writeString(times.buffer(), 0, times.format(r.received, 6));
        g.writeFieldName(STAGE_TIMESTAMP);
        g.writeString(times.buffer(), 0, times.format(time, 6));
        if (!received && r.annotations == null && r.reason == r.user.reason && r.decision.equals("allow")) {
            g.writeFieldName(ANNOTATIONS);
            g.writeRawValue(r.user.allowAnnotationsJson);
        } else if (!received) {
            g.writeFieldName(ANNOTATIONS);
            g.writeStartObject();
            String[] extra = r.annotations;
            int i = 0;
            // Go writes map keys sorted: authentication.* < authorization.* < pod-security.*
            while (extra != null && i < extra.length && extra[i].compareTo("authorization.k8s.io/decision") < 0) {
                g.writeFieldName(extra[i]);
                g.writeString(extra[i + 1]);
                i += 2;
            }
            g.writeFieldName(DECISION);
            g.writeString(r.decision);
            g.writeFieldName(AUTHZ_REASON);
            g.writeString(r.reason == null ? "" : r.reason);
            while (extra != null && i < extra.length) {
                g.writeFieldName(extra[i]);
                g.writeString(extra[i + 1]);
                i += 2;
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The user object; {@code credential} is the current credential id of a rotating token. */
    static void writeUser(JsonGenerator g, Identity u, String credential) throws IOException {
        g.writeStartObject();
        g.writeFieldName(USERNAME);
        g.writeString(u.username);
        if (u.uid != null) {
            g.writeFieldName(UID);
            g.writeString(u.uid);
        }
        g.writeFieldName(GROUPS);
        g.writeStartArray();
        for (String group : u.groups) {
            g.writeString(group);
        }
        g.writeEndArray();
        if (u.extraKeys.length > 0) {
            g.writeFieldName(EXTRA);
            g.writeStartObject();
            for (int i = 0; i < u.extraKeys.length; i++) {
                g.writeFieldName(u.extraKeys[i]);
                g.writeStartArray();
                if (i == u.credentialIndex) {
                    g.writeString(credential);
                } else {
                    for (String v : u.extraValues[i]) {
                        g.writeString(v);
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
