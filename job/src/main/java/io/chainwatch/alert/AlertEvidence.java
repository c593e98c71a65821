package io.chainwatch.alert;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/** One matched event of an alert: which step it satisfied and what the request was. */
@JsonPropertyOrder({"step", "auditID", "time", "verb", "user", "sourceIP", "userAgent", "resource",
        "subresource", "namespace", "name", "responseCode"})
public class AlertEvidence {
    public String step;
    public String auditID;
    /** stageTimestamp, RFC 3339 with microseconds. */
    public String time;
    public String verb;
    /** The principal: impersonated user if any, else the authenticated user. */
    public String user;
    /** First of sourceIPs. */
    public String sourceIP;
    public String userAgent;
    public String resource;
    public String subresource;
    public String namespace;
    /** Object name (objectRef.name or the created object's metadata.name). */
    public String name;
    public Integer responseCode;

    public AlertEvidence() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlertEvidence)) {
            return false;
        }
        AlertEvidence e = (AlertEvidence) o;
        return Objects.equals(step, e.step) && Objects.equals(auditID, e.auditID) && Objects.equals(time, e.time)
                && Objects.equals(verb, e.verb) && Objects.equals(user, e.user) && Objects.equals(sourceIP, e.sourceIP)
                && Objects.equals(userAgent, e.userAgent) && Objects.equals(resource, e.resource)
                && Objects.equals(subresource, e.subresource) && Objects.equals(namespace, e.namespace)
                && Objects.equals(name, e.name) && Objects.equals(responseCode, e.responseCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, auditID);
    }
}
