package io.chainwatch.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns raw audit log records into {@link AuditEvent}s.
 *
 * <p>Accepts {@code audit.k8s.io/v1} and {@code v1beta1} Events, one per record (NDJSON), {@code EventList}
 * documents and JSON arrays of either. Keeps one event per logical request: {@code RequestReceived} stages
 * are skipped, and {@code ResponseStarted} is kept only for the long-running exec/attach/portforward calls
 * that may never complete (redeliveries and remaining stage duplicates are removed downstream, keyed by
 * {@code auditID}). Everything that cannot become an event is reported as a {@link DeadLetter}; nothing is
 * dropped without a count.
 *
 * <p>Secret values are redacted here, before any output sees the event (see {@link Redactor}).
 */
public final class AuditEventParser {

    /** Receives what the parser makes of one record. */
    public interface Output {
        void event(AuditEvent event);

        void deadLetter(DeadLetter deadLetter);

        /** A valid record that is not an event of interest (e.g. a RequestReceived stage). */
        void skipped(String category);
    }

    public static final String EXTRA_POD_NAME = "authentication.kubernetes.io/pod-name";
    public static final String EXTRA_CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";
    public static final String DECISION_ANNOTATION = "authorization.k8s.io/decision";

    /** Subresources whose requests are long-running upgrades: their ResponseStarted stage is the request. */
    private static final Set<String> STREAMING_SUBRESOURCES = Set.of("exec", "attach", "portforward");
    private static final String SA_PREFIX = "system:serviceaccount:";

    private final String defaultCluster;
    private final int maxDeadLetterText;
    private final ObjectReader reader;
    /** The only envelope accepted (--format), or null to detect it per document. */
    private final SourceFormat forced;

    public AuditEventParser(String defaultCluster, int maxDeadLetterText) {
        this(defaultCluster, maxDeadLetterText, null);
    }

    public AuditEventParser(String defaultCluster, int maxDeadLetterText, SourceFormat forced) {
        this.defaultCluster = defaultCluster;
        this.maxDeadLetterText = maxDeadLetterText;
        this.forced = forced;
        this.reader = JsonSupport.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public void parse(RawRecord record, Output sink) {
        // Every record must end as at least one event, dead letter or skip: a document that holds nothing
        // (an empty array, an EventList without items) is counted rather than passing by unseen.
        int[] emitted = new int[1];
        Output out = new Output() {
            @Override
            public void event(AuditEvent event) {
                emitted[0]++;
                sink.event(event);
            }

            @Override
            public void deadLetter(DeadLetter deadLetter) {
                emitted[0]++;
                sink.deadLetter(deadLetter);
            }

            @Override
            public void skipped(String category) {
                emitted[0]++;
                sink.skipped(category);
            }
        };
        parseRecord(record, out);
        if (emitted[0] == 0) {
            sink.skipped("empty-document");
        }
    }

    private void parseRecord(RawRecord record, Output out) {
        String cluster = record.cluster != null ? record.cluster : defaultCluster;
        if (record.readError != null) {
            out.deadLetter(dead(record, "read-error", record.readError, lossyText(record.bytes)));
            return;
        }
        JsonNode root = isPlainAscii(record.bytes) ? readAscii(record, out) : readText(record, out);
        if (root == null) {
            return;
        }
        if (root.isArray()) {
            int index = 0;
            for (JsonNode item : root) {
                dispatch(record, cluster, item, index++, out);
            }
        } else {
            dispatch(record, cluster, root, -1, out);
        }
    }

    /**
     * The common case: a line of printable ASCII (audit logs escape everything else) is valid UTF-8 as it
     * is, so Jackson parses the bytes directly, without a strict decode into a String first.
     */
    private JsonNode readAscii(RawRecord record, Output out) {
        byte[] b = record.bytes;
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
            i++;
        }
        if (i == b.length) {
            out.skipped("blank-line");
            return null;
        }
        if (b.length - i >= 4 && b[i] == 'H' && b[i + 1] == '4' && b[i + 2] == 's' && b[i + 3] == 'I') {
            return readText(record, out);
        }
        try {
            return reader.readTree(b);
        } catch (IOException e) {
            return malformed(record, e, new String(b, StandardCharsets.US_ASCII), out);
        }
    }

    private JsonNode readText(RawRecord record, Output out) {
        String text;
        try {
            text = decodeUtf8(record.bytes);
        } catch (CharacterCodingException e) {
            out.deadLetter(dead(record, "invalid-utf8", "input is not valid UTF-8", lossyText(record.bytes)));
            return null;
        }
        if (text.isBlank()) {
            out.skipped("blank-line");
            return null;
        }
        if (text.startsWith("H4sI")) {
            // A Kinesis/Firehose record of a CloudWatch Logs subscription: base64 of gzip of the JSON payload.
            try {
                text = gunzipBase64(text.strip());
            } catch (IOException | IllegalArgumentException e) {
                out.deadLetter(dead(record, "bad-encoding", "looks like base64+gzip but does not decode: " + e.getMessage(), text));
                return null;
            }
        }
        try {
            return reader.readTree(text);
        } catch (IOException e) {
            return malformed(record, e, text, out);
        }
    }

    private JsonNode malformed(RawRecord record, IOException e, String text, Output out) {
        if (e instanceof StreamConstraintsException) {
            out.deadLetter(dead(record, "too-complex", ((StreamConstraintsException) e).getOriginalMessage(), text));
        } else if (e instanceof JsonProcessingException) {
            out.deadLetter(dead(record, "malformed-json", "not valid JSON: " + ((JsonProcessingException) e).getOriginalMessage(), text));
        } else {
            out.deadLetter(dead(record, "malformed-json", "not valid JSON: " + e.getMessage(), text));
        }
        return null;
    }

    /** Tab, CR and the printable ASCII range only (no control bytes, nothing at or above 0x7F). */
    static boolean isPlainAscii(byte[] b) {
        if (b == null) {
            return false;
        }
        // Eight bytes at a time: a word with no byte >= 0x7F and none below 0x20 is plain; a word with a
        // control byte is checked byte by byte (tab and CR are allowed). Every line passes through here.
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            long v = (long) LONGS.get(b, i);
            long high = (v | (v + 0x0101010101010101L)) & 0x8080808080808080L; // a byte >= 0x7F (0x7F + 1 sets bit 7)
            long low = (v - 0x2020202020202020L) & ~v & 0x8080808080808080L;    // a byte < 0x20 (may over-report)
            if (high != 0 || low != 0) {
                for (int j = i; j < i + 8; j++) {
                    if (!plain(b[j])) {
                        return false;
                    }
                }
            }
        }
        for (; i < b.length; i++) {
            if (!plain(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean plain(byte x) {
        return (x >= 0x20 && x < 0x7F) || x == '\t' || x == '\r';
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Routes one JSON document (or one element of a top-level array) by its envelope. */
    private void dispatch(RawRecord record, String cluster, JsonNode node, int item, Output out) {
        String where = item < 0 ? "" : "item " + item + ": ";
        if (!node.isObject()) {
            out.deadLetter(dead(record, "wrong-type", where + "expected a JSON object, EventList or array, found "
                    + node.getNodeType().toString().toLowerCase(), node.toString()));
            return;
        }
        Envelopes.Kind kind = Envelopes.classify(node);
        if (forced != null && kind.format() != forced) {
            out.deadLetter(dead(record, "wrong-format", where + "expected " + forced.keyword + " input (--format), found "
                    + kind.format().keyword, node.toString()));
            return;
        }
        switch (kind) {
            case AUDIT_EVENT_LIST: {
                JsonNode items = node.get("items");
                if (items == null || !items.isArray()) {
                    out.deadLetter(dead(record, "wrong-type", where + "EventList without an items array", node.toString()));
                    return;
                }
                int i = 0;
                for (JsonNode e : items) {
                    oneEvent(record, cluster, e, SourceFormat.AUDIT, where + "item " + i++ + ": ", out);
                }
                return;
            }
            case AKS_RECORD:
            case AKS_RECORDS: {
                int i = 0;
                Iterable<JsonNode> recs = kind == Envelopes.Kind.AKS_RECORD ? java.util.List.of(node) : node.get("records");
                for (JsonNode r : recs) {
                    String at = kind == Envelopes.Kind.AKS_RECORD ? where : where + "record " + i++ + ": ";
                    String category = r.path("category").asText("");
                    if (!category.equals("kube-audit") && !category.equals("kube-audit-admin")) {
                        out.skipped("aks-category:" + (category.isEmpty() ? "none" : category));
                        continue;
                    }
                    String c = Envelopes.aksCluster(r.path("resourceId").asText(null));
                    embedded(record, c != null ? c : cluster, r.path("properties").get("log"), SourceFormat.AKS, at, out);
                }
                return;
            }
            case AKS_DIAGNOSTICS_ROW: {
                String category = node.has("Category") ? node.path("Category").asText("") : node.path("category").asText("");
                if (!category.equals("kube-audit") && !category.equals("kube-audit-admin")) {
                    out.skipped("aks-category:" + (category.isEmpty() ? "none" : category));
                    return;
                }
                String c = Envelopes.aksCluster(node.path("ResourceId").asText(node.path("_ResourceId").asText(null)));
                embedded(record, c != null ? c : cluster, node.get("log_s"), SourceFormat.AKS, where, out);
                return;
            }
            case AKS_AUDIT_ROW: {
                String c = Envelopes.aksCluster(node.path("_ResourceId").asText(null));
                oneEvent(record, c != null ? c : cluster, AksAuditRows.toAuditEvent(node), SourceFormat.AKS, where, out);
                return;
            }
            case EKS_SUBSCRIPTION: {
                if ("CONTROL_MESSAGE".equals(node.path("messageType").asText())) {
                    out.skipped("eks-control-message");
                    return;
                }
                if (!node.path("logEvents").isArray()) {
                    out.deadLetter(dead(record, "missing-field", where + "a CloudWatch Logs DATA_MESSAGE without a logEvents array",
                            node.toString()));
                    return;
                }
                String c = Envelopes.eksCluster(node.path("logGroup").asText(null));
                String stream = node.path("logStream").asText("");
                if (!stream.isEmpty() && !stream.startsWith("kube-apiserver-audit")) {
                    out.skipped("eks-stream:" + stream.replaceAll("-[0-9a-f]{8,}$", ""));
                    return;
                }
                int i = 0;
                for (JsonNode le : node.path("logEvents")) {
                    embedded(record, c != null ? c : cluster, le.get("message"), SourceFormat.EKS, where + "logEvent " + i++ + ": ", out);
                }
                return;
            }
            case EKS_EVENTS: {
                int i = 0;
                for (JsonNode le : node.get("events")) {
                    String stream = le.path("logStreamName").asText("");
                    if (!stream.isEmpty() && !stream.startsWith("kube-apiserver-audit")) {
                        out.skipped("eks-stream:" + stream.replaceAll("-[0-9a-f]{8,}$", ""));
                        i++;
                        continue;
                    }
                    embedded(record, cluster, le.get("message"), SourceFormat.EKS, where + "event " + i++ + ": ", out);
                }
                return;
            }
            case GKE_LOG_ENTRY: {
                String service = GkeLogEntries.service(node);
                if (!service.equals("k8s.io")) {
                    out.skipped("gke-service:" + (service.isEmpty() ? "none" : service));
                    return;
                }
                String c = GkeLogEntries.cluster(node);
                JsonNode mapped;
                try {
                    mapped = GkeLogEntries.toAuditEvent(node);
                } catch (IllegalArgumentException e) {
                    out.deadLetter(dead(record, "wrong-type", where + e.getMessage(), node.toString()));
                    return;
                }
                oneEvent(record, c != null ? c : cluster, mapped, SourceFormat.GKE, where, out);
                return;
            }
            default:
                oneEvent(record, cluster, node, SourceFormat.AUDIT, where, out);
        }
    }

    /**
     * An audit event carried as a JSON string inside an envelope (AKS properties.log, EKS message), or as an
     * object already decoded.
     */
    private void embedded(RawRecord record, String cluster, JsonNode value, SourceFormat format, String where, Output out) {
        if (value == null || value.isNull()) {
            out.deadLetter(dead(record, "missing-field", where + "no audit event in the envelope", null));
            return;
        }
        if (value.isObject()) {
            oneEvent(record, cluster, value, format, where, out);
            return;
        }
        String text = value.asText();
        if (text.endsWith("[Truncated...]")) {
            java.util.regex.Matcher m = AUDIT_ID.matcher(text);
            out.deadLetter(dead(record, "truncated", where + "the source cut this event short"
                    + (m.find() ? " (auditID " + m.group(1) + ")" : ""), text));
            return;
        }
        JsonNode inner;
        try {
            inner = reader.readTree(text);
        } catch (StreamConstraintsException e) {
            out.deadLetter(dead(record, "too-complex", where + e.getOriginalMessage(), text));
            return;
        } catch (IOException e) {
            out.deadLetter(dead(record, "malformed-json", where + "embedded event is not valid JSON: "
                    + (e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage()), text));
            return;
        }
        oneEvent(record, cluster, inner, format, where, out);
    }

    private void oneEvent(RawRecord record, String cluster, JsonNode node, SourceFormat format, String where, Output out) {
        if (!node.isObject()) {
            out.deadLetter(dead(record, "wrong-type", where + "expected an Event object, found "
                    + node.getNodeType().toString().toLowerCase(), node.toString()));
            return;
        }
        try {
            AuditEvent event = toEvent((ObjectNode) node);
            if (event == null) {
                out.skipped("stage:" + node.path("stage").asText());
                return;
            }
            event.cluster = cluster;
            event.source = record.source;
            event.sourcePosition = record.position;
            event.sourceFormat = format.keyword;
            out.event(event);
        } catch (InvalidEventException e) {
            out.deadLetter(dead(record, e.category, where + e.getMessage(), node.toString()));
        }
    }

    // java.util.regex is safe here: fixed pattern, no nested quantifiers, applied to a bounded line.
    private static final java.util.regex.Pattern AUDIT_ID = java.util.regex.Pattern.compile("\"auditID\"\\s*:\\s*\"([^\"\\\\]{1,128})\"");

    /** Maps one Event object, or returns null when its stage is not the one kept for the request. */
    AuditEvent toEvent(ObjectNode node) throws InvalidEventException {
        String kind = optText(node, "kind");
        if (kind != null && !kind.equals("Event")) {
            throw new InvalidEventException("unsupported-kind", "unsupported kind '" + kind + "' (expected Event)");
        }
        String apiVersion = optText(node, "apiVersion");
        if (apiVersion != null && !apiVersion.startsWith("audit.k8s.io/")) {
            throw new InvalidEventException("unsupported-kind", "unsupported apiVersion '" + apiVersion + "'");
        }
        AuditEvent e = new AuditEvent();
        e.apiVersion = apiVersion;
        e.auditID = requiredText(node, "auditID");
        e.verb = requiredText(node, "verb");
        e.stage = optText(node, "stage");
        JsonNode objectRef = optObject(node, "objectRef");
        if (objectRef != null) {
            e.resource = optText(objectRef, "resource");
            e.subresource = optText(objectRef, "subresource");
            e.namespace = optText(objectRef, "namespace");
            e.name = optText(objectRef, "name");
            e.apiGroup = optText(objectRef, "apiGroup");
            e.objectApiVersion = optText(objectRef, "apiVersion");
            e.objectUID = optText(objectRef, "uid");
        }
        if (!keepStage(e.stage, e.subresource)) {
            return null;
        }
        e.level = optText(node, "level");
        e.requestURI = optText(node, "requestURI");
        e.userAgent = optText(node, "userAgent");
        JsonNode user = optObject(node, "user");
        if (user != null) {
            e.userName = optText(user, "username");
            e.userUID = optText(user, "uid");
            e.userGroups = optTextList(user, "groups", "user.groups");
            e.userExtra = optExtra(user);
        }
        JsonNode impersonated = optObject(node, "impersonatedUser");
        if (impersonated != null) {
            e.impersonatedUserName = optText(impersonated, "username");
            e.impersonatedGroups = optTextList(impersonated, "groups", "impersonatedUser.groups");
        }
        e.sourceIPs = optTextList(node, "sourceIPs", "sourceIPs");
        JsonNode status = optObject(node, "responseStatus");
        if (status != null) {
            JsonNode code = status.get("code");
            if (code != null && !code.isNull()) {
                if (!code.canConvertToInt() || !code.isIntegralNumber()) {
                    throw new InvalidEventException("wrong-type", "responseStatus.code: expected an integer, found " + code);
                }
                e.responseCode = code.intValue();
            }
            e.responseStatus = optText(status, "status");
            e.responseReason = optText(status, "reason");
            e.responseMessage = optText(status, "message");
        }
        e.annotations = optAnnotations(node);
        timestamps(node, e);

        JsonNode request = optObjectOrNull(node, "requestObject");
        JsonNode response = optObjectOrNull(node, "responseObject");
        Redactor.redact(e.resource, e.subresource, request);
        Redactor.redact(e.resource, e.subresource, response);
        if (request != null) {
            e.requestObject = request.toString();
        }
        if (response != null) {
            e.responseObject = response.toString();
        }
        e.cacheTrees(request, response);
        derive(e, request, response);
        return e;
    }

    private static boolean keepStage(String stage, String subresource) {
        if (stage == null || stage.equals("ResponseComplete") || stage.equals("Panic")) {
            return true;
        }
        if (stage.equals("ResponseStarted")) {
            return subresource != null && STREAMING_SUBRESOURCES.contains(subresource);
        }
        return false;
    }

    private static void timestamps(JsonNode node, AuditEvent e) throws InvalidEventException {
        // (see MAX_FUTURE_MILLIS below)
        Long received = optTime(node, "requestReceivedTimestamp");
        e.requestReceivedMicros = received;
        Long stageTime = optTime(node, "stageTimestamp");
        if (stageTime == null) {
            stageTime = received;
        }
        if (stageTime == null) {
            stageTime = optTime(node, "timestamp"); // v1alpha1/v1beta1 only
        }
        if (stageTime == null) {
            JsonNode meta = node.get("metadata");
            if (meta != null && meta.isObject()) {
                stageTime = optTime(meta, "creationTimestamp"); // v1beta1 ObjectMeta
            }
        }
        if (stageTime == null) {
            throw new InvalidEventException("missing-timestamp",
                    "no stageTimestamp, requestReceivedTimestamp or timestamp to order the event by");
        }
        e.eventTimeMicros = stageTime;
        long limit = (System.currentTimeMillis() + MAX_FUTURE_MILLIS) * 1000L;
        if (stageTime > limit) {
            throw new InvalidEventException("future-timestamp", "event time "
                    + AuditTimestamps.formatMicros(stageTime) + " is more than a day in the future; check the source's clock");
        }
    }

    /** Events stamped further ahead of the wall clock than this are refused: they would hold back nothing but
     * would push watermarks (and so every window) into the future. */
    public static final long MAX_FUTURE_MILLIS = 24L * 3600 * 1000;
    /** Longest list accepted in a list field (groups, sourceIPs, extra values). */
    public static final int MAX_LIST = 10_000;

    private static void derive(AuditEvent e, JsonNode request, JsonNode response) {
        e.principal = e.impersonatedUserName != null ? e.impersonatedUserName : e.userName;
        String account = e.principal;
        if (account != null && account.startsWith(SA_PREFIX)) {
            String rest = account.substring(SA_PREFIX.length());
            int colon = rest.indexOf(':');
            if (colon > 0) {
                e.saNamespace = rest.substring(0, colon);
                e.saName = rest.substring(colon + 1);
            }
        }
        e.podName = firstExtra(e.userExtra, EXTRA_POD_NAME);
        e.credentialId = firstExtra(e.userExtra, EXTRA_CREDENTIAL_ID);
        e.objectName = e.name;
        if (e.objectName == null) {
            e.objectName = metadataName(request);
        }
        if (e.objectName == null) {
            e.objectName = metadataName(response);
        }
        if (e.sourceIPs != null && !e.sourceIPs.isEmpty()) {
            e.clientIP = e.sourceIPs.get(0);
            e.peerIP = e.sourceIPs.get(e.sourceIPs.size() - 1);
        }
        e.responseClass = e.responseCode == null ? "unknown" : (e.responseCode / 100) + "xx";
        e.decision = e.annotations == null ? null : e.annotations.get(DECISION_ANNOTATION);
    }

    private static String metadataName(JsonNode object) {
        if (object == null) {
            return null;
        }
        JsonNode name = object.path("metadata").path("name");
        return name.isTextual() && !name.asText().isEmpty() ? name.asText() : null;
    }

    private static String firstExtra(Map<String, List<String>> extra, String key) {
        if (extra == null) {
            return null;
        }
        List<String> values = extra.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    // --- typed field access: a wrong type is an error, never a silent null

    private static String requiredText(JsonNode node, String field) throws InvalidEventException {
        String value = optText(node, field);
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException("missing-field", "missing required field '" + field + "'");
        }
        return value;
    }

    private static String optText(JsonNode node, String field) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidEventException("wrong-type",
                    "field '" + field + "': expected a string, found " + v.getNodeType().toString().toLowerCase());
        }
        return v.textValue();
    }

    private static JsonNode optObject(JsonNode node, String field) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new InvalidEventException("wrong-type",
                    "field '" + field + "': expected an object, found " + v.getNodeType().toString().toLowerCase());
        }
        return v;
    }

    /** requestObject/responseObject: objects normally; AKS writes a marker string for oversized bodies. */
    private static JsonNode optObjectOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isObject() ? v : null;
    }

    private static List<String> optTextList(JsonNode node, String field, String path) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new InvalidEventException("wrong-type", "field '" + path + "': expected an array of strings");
        }
        if (v.size() > MAX_LIST) {
            throw new InvalidEventException("too-complex", "field '" + path + "' has " + v.size()
                    + " entries; at most " + MAX_LIST + " are accepted");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new InvalidEventException("wrong-type", "field '" + path + "': expected an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static Map<String, List<String>> optExtra(JsonNode user) throws InvalidEventException {
        JsonNode extra = optObject(user, "extra");
        if (extra == null) {
            return null;
        }
        Map<String, List<String>> out = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = extra.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (v.isTextual()) {
                out.put(f.getKey(), Collections.singletonList(v.textValue()));
            } else {
                out.put(f.getKey(), optTextList(extra, f.getKey(), "user.extra." + f.getKey()));
            }
        }
        return out;
    }

    private static Map<String, String> optAnnotations(JsonNode node) throws InvalidEventException {
        JsonNode annotations = optObject(node, "annotations");
        if (annotations == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = annotations.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            out.put(f.getKey(), v.isTextual() ? v.textValue() : v.toString());
        }
        return out;
    }

    private static Long optTime(JsonNode node, String field) throws InvalidEventException {
        String text = optText(node, field);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return AuditTimestamps.parseMicros(text);
        } catch (DateTimeException e) {
            throw new InvalidEventException("bad-timestamp", "field '" + field + "': not an RFC 3339 time: '" + text + "'");
        }
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Decodes base64 of gzip, refusing output beyond 64 MiB (a decompression bomb must not exhaust memory). */
    private static String gunzipBase64(String text) throws IOException {
        byte[] compressed = java.util.Base64.getMimeDecoder().decode(text);
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > 64 * 1024 * 1024) {
                    throw new IOException("decompresses to more than 64 MiB");
                }
                out.write(buf, 0, n);
            }
            return decodeUtf8(out.toByteArray());
        }
    }

    private static String lossyText(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private DeadLetter dead(RawRecord record, String category, String reason, String text) {
        return DeadLetter.of(record.source, record.position, category, reason, SecretScrubber.scrub(text), maxDeadLetterText);
    }

    /** An event that is JSON but not a usable audit Event. */
    static final class InvalidEventException extends Exception {
        final String category;

        InvalidEventException(String category, String message) {
            super(message, null, false, false);
            this.category = category;
        }
    }
}
