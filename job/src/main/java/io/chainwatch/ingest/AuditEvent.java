package io.chainwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One logical Kubernetes API request: a deduplicated {@code audit.k8s.io} Event plus the fields that patterns
 * and correlation keys need, derived once at parse time.
 *
 * <p>Public fields and a no-arg constructor; Flink serializes it with {@link AuditEventSerializer} (UTF-8 texts,
 * never Kryo), registered through {@code @TypeInfo}. Treat instances as immutable once the parser has emitted them:
 * CEP and the history writer may hold references to them.
 *
 * <p>{@code requestObject} and {@code responseObject} are kept as JSON text; conditions that read into them
 * parse them lazily, at most once per event and operator (see {@link #requestTree()}).
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(AuditEventTypeInfo.Factory.class)
public class AuditEvent {

    // --- provenance
    /** Name of the cluster the event came from (collector-assigned; audit events carry none). */
    public String cluster;
    /** Where the event was read: file path or stream name. */
    public String source;
    /** 1-based line where the record started; the items of a multi-line EventList document share its first line. */
    public long sourcePosition;
    /** The envelope it arrived in: audit, aks, eks or gke (see {@link SourceFormat}). */
    public String sourceFormat;

    // --- audit.k8s.io Event fields
    public String apiVersion;
    public String level;
    public String auditID;
    public String stage;
    public String requestURI;
    public String verb;
    public String userName;
    public String userUID;
    public List<String> userGroups;
    public Map<String, List<String>> userExtra;
    public String impersonatedUserName;
    public List<String> impersonatedGroups;
    public List<String> sourceIPs;
    public String userAgent;
    public String resource;
    public String subresource;
    public String namespace;
    public String name;
    public String apiGroup;
    public String objectApiVersion;
    public String objectUID;
    public Integer responseCode;
    public String responseStatus;
    public String responseReason;
    public String responseMessage;
    public String requestObject;
    public String responseObject;
    /** Event time: {@code stageTimestamp} in microseconds since the epoch (see the parser for fallbacks). */
    public long eventTimeMicros;
    /** {@code requestReceivedTimestamp} in microseconds, or null when absent. */
    public Long requestReceivedMicros;
    public Map<String, String> annotations;

    // --- derived fields
    /** Impersonated user if any, else the authenticated user. */
    public String principal;
    public String saNamespace;
    public String saName;
    /** {@code user.extra["authentication.kubernetes.io/pod-name"]}: the pod a bound token belongs to. */
    public String podName;
    /** {@code user.extra["authentication.kubernetes.io/credential-id"]}: JTI=... or X509SHA256=... */
    public String credentialId;
    /** objectRef.name, else the request/response object's metadata.name. */
    public String objectName;
    /** First of sourceIPs (client supplied when proxied). */
    public String clientIP;
    /** Last of sourceIPs: the TCP peer, the only entry the client cannot forge. */
    public String peerIP;
    /** 1xx..5xx, or "unknown" when no response code was recorded. */
    public String responseClass;
    /** authorization.k8s.io/decision annotation: allow, forbid, or null. */
    public String decision;

    // Parsed lazily by conditions; never serialized (Flink's PojoSerializer skips transient fields).
    private transient JsonNode requestTree;
    private transient JsonNode responseTree;

    public AuditEvent() {}

    /** The parsed {@code requestObject}, or null when the event has none. Cached per instance. */
    public JsonNode requestTree() {
        if (requestTree == null && requestObject != null) {
            requestTree = JsonSupport.parseTree(requestObject);
        }
        return requestTree;
    }

    /** The parsed {@code responseObject}, or null when the event has none. Cached per instance. */
    public JsonNode responseTree() {
        if (responseTree == null && responseObject != null) {
            responseTree = JsonSupport.parseTree(responseObject);
        }
        return responseTree;
    }

    void cacheTrees(JsonNode request, JsonNode response) {
        this.requestTree = request;
        this.responseTree = response;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AuditEvent)) {
            return false;
        }
        AuditEvent e = (AuditEvent) o;
        return sourcePosition == e.sourcePosition
                && eventTimeMicros == e.eventTimeMicros
                && Objects.equals(cluster, e.cluster)
                && Objects.equals(source, e.source)
                && Objects.equals(sourceFormat, e.sourceFormat)
                && Objects.equals(apiVersion, e.apiVersion)
                && Objects.equals(level, e.level)
                && Objects.equals(auditID, e.auditID)
                && Objects.equals(stage, e.stage)
                && Objects.equals(requestURI, e.requestURI)
                && Objects.equals(verb, e.verb)
                && Objects.equals(userName, e.userName)
                && Objects.equals(userUID, e.userUID)
                && Objects.equals(userGroups, e.userGroups)
                && Objects.equals(userExtra, e.userExtra)
                && Objects.equals(impersonatedUserName, e.impersonatedUserName)
                && Objects.equals(impersonatedGroups, e.impersonatedGroups)
                && Objects.equals(sourceIPs, e.sourceIPs)
                && Objects.equals(userAgent, e.userAgent)
                && Objects.equals(resource, e.resource)
                && Objects.equals(subresource, e.subresource)
                && Objects.equals(namespace, e.namespace)
                && Objects.equals(name, e.name)
                && Objects.equals(apiGroup, e.apiGroup)
                && Objects.equals(objectApiVersion, e.objectApiVersion)
                && Objects.equals(objectUID, e.objectUID)
                && Objects.equals(responseCode, e.responseCode)
                && Objects.equals(responseStatus, e.responseStatus)
                && Objects.equals(responseReason, e.responseReason)
                && Objects.equals(responseMessage, e.responseMessage)
                && Objects.equals(requestObject, e.requestObject)
                && Objects.equals(responseObject, e.responseObject)
                && Objects.equals(requestReceivedMicros, e.requestReceivedMicros)
                && Objects.equals(annotations, e.annotations)
                && Objects.equals(principal, e.principal)
                && Objects.equals(saNamespace, e.saNamespace)
                && Objects.equals(saName, e.saName)
                && Objects.equals(podName, e.podName)
                && Objects.equals(credentialId, e.credentialId)
                && Objects.equals(objectName, e.objectName)
                && Objects.equals(clientIP, e.clientIP)
                && Objects.equals(peerIP, e.peerIP)
                && Objects.equals(responseClass, e.responseClass)
                && Objects.equals(decision, e.decision);
    }

    @Override
    public int hashCode() {
        return Objects.hash(auditID, stage, eventTimeMicros, cluster);
    }

    @Override
    public String toString() {
        return "AuditEvent{" + cluster + " " + auditID + " " + stage + " " + verb + " "
                + resource + (subresource == null ? "" : "/" + subresource) + " "
                + namespace + "/" + objectName + " by " + principal + " @" + eventTimeMicros + "}";
    }
}
