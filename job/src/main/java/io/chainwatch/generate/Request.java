package io.chainwatch.generate;

/**
 * One API request as the audit log records it. Its stage events ({@code RequestReceived},
 * {@code ResponseStarted}, {@code ResponseComplete}) share this object; the format writers read it when the
 * stage is due. Built with the fluent setters by actors and scenarios, then handed to
 * {@link ClusterSim#submit}.
 */
final class Request {
    enum Kind {
        /** One ResponseComplete. */
        NORMAL,
        /** A watch: only ResponseStarted (still open). */
        WATCH,
        /** exec/attach/portforward: ResponseStarted (101) and, later, ResponseComplete with the same auditID. */
        STREAMING
    }

    enum Level {
        METADATA("Metadata"), REQUEST("Request"), REQUEST_RESPONSE("RequestResponse");

        final String text;

        Level(String text) {
            this.text = text;
        }
    }

    static final byte REQUEST_RECEIVED = 0;
    static final byte RESPONSE_STARTED = 1;
    static final byte RESPONSE_COMPLETE = 2;
    static final String[] STAGES = {"RequestReceived", "ResponseStarted", "ResponseComplete"};

    String auditID;
    Level level;
    String verb;
    String requestURI;
    Identity user;
    /** Impersonate-User / Impersonate-Group headers (kubectl --as / --as-group), or null. */
    String impersonatedUser;
    String[] impersonatedGroups;
    String[] sourceIPs;
    String userAgent;
    /** Null for non-resource requests (/healthz, /version, /api). */
    Res res;
    String namespace;
    String name;
    String subresource;
    int code = 200;
    /** Failure status (403, 404, 409): status, message, reason, details kind. */
    String failureReason;
    String failureMessage;
    Body requestObject;
    Body responseObject;
    long received;
    /** ResponseStarted time (watches and streaming requests). */
    long started;
    long completed;
    Kind kind = Kind.NORMAL;
    boolean requestReceivedStage;
    String decision = "allow";
    /** A 403 from admission, not from authorization (see {@link #refusedByAdmission}). */
    boolean admissionRefused;
    String reason;
    /** Extra annotations as key, value pairs (pod-security, issued-credential-id), sorted by key. */
    String[] annotations;
    /** The exec command for GKE's command.gke.io/command label. */
    String command;

    /** Set for requests that belong to an injected attack. */
    AttackInstance attack;
    /** Position of this request in its attack's labelled evidence, or -1. */
    int evidenceIndex = -1;

    Request uri(String query) {
        if (query != null) {
            requestURI = requestURI + query;
        }
        return this;
    }

    Request code(int code) {
        this.code = code;
        return this;
    }

    Request bodies(Body request, Body response) {
        this.requestObject = request;
        this.responseObject = response;
        return this;
    }

    Request annotate(String... keyValues) {
        this.annotations = keyValues;
        return this;
    }

    /** The request was sent with Impersonate-User (and Impersonate-Group) headers. */
    Request impersonate(String username, String... groups) {
        this.impersonatedUser = username;
        this.impersonatedGroups = groups.length == 0 ? null : groups;
        return this;
    }

    Request reason(String reason) {
        this.reason = reason;
        return this;
    }

    /** A denial: 403 Forbidden with the RBAC message the API server writes. */
    Request forbidden() {
        code = 403;
        decision = "forbid";
        reason = "";
        failureReason = "Forbidden";
        String what = res == null ? requestURI : res.resource + (subresource == null ? "" : "/" + subresource);
        String in = namespace == null ? " at the cluster scope" : " in the namespace \"" + namespace + "\"";
        failureMessage = what + (name == null ? "" : " \"" + name + "\"") + " is forbidden: User \"" + user.username
                + "\" cannot " + verb + " resource \"" + what + "\" in API group \"" + (res == null ? "" : res.group)
                + "\"" + in;
        return this;
    }

    /**
     * A refusal by admission (Pod Security, a validating webhook): 403 like an RBAC denial, but the request
     * was authorized, so the audit event keeps {@code decision: allow} and its RBAC reason.
     */
    Request refusedByAdmission(String message) {
        code = 403;
        admissionRefused = true;
        failureReason = "Forbidden";
        failureMessage = message;
        return this;
    }

    boolean isStreaming() {
        return kind == Kind.STREAMING;
    }

    /** The stage a parser keeps for this request: ResponseStarted for streaming requests, else ResponseComplete. */
    byte keptStage() {
        return kind == Kind.NORMAL ? RESPONSE_COMPLETE : RESPONSE_STARTED;
    }
}
