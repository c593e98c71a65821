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

    public AuditEventParser(String defaultCluster, int maxDeadLetterText) {
        this.defaultCluster = defaultCluster;
        this.maxDeadLetterText = maxDeadLetterText;
        this.reader = JsonSupport.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public void parse(RawRecord record, Output out) {
        String cluster = record.cluster != null ? record.cluster : defaultCluster;
        if (record.readError != null) {
            out.deadLetter(dead(record, "read-error", record.readError, lossyText(record.bytes)));
            return;
        }
        String text;
        try {
            text = decodeUtf8(record.bytes);
        } catch (CharacterCodingException e) {
            out.deadLetter(dead(record, "invalid-utf8", "input is not valid UTF-8", lossyText(record.bytes)));
            return;
        }
        if (text.isBlank()) {
            out.skipped("blank-line");
            return;
        }
        JsonNode root;
        try {
            root = reader.readTree(text);
        } catch (StreamConstraintsException e) {
            out.deadLetter(dead(record, "too-complex", e.getOriginalMessage(), text));
            return;
        } catch (JsonProcessingException e) {
            out.deadLetter(dead(record, "malformed-json", "not valid JSON: " + e.getOriginalMessage(), text));
            return;
        } catch (IOException e) {
            out.deadLetter(dead(record, "malformed-json", "not valid JSON: " + e.getMessage(), text));
            return;
        }
        if (root.isArray()) {
            parseItems(record, cluster, root, out, text);
        } else if (root.isObject() && "EventList".equals(root.path("kind").asText(null))) {
            JsonNode items = root.get("items");
            if (items == null || !items.isArray()) {
                out.deadLetter(dead(record, "wrong-type", "EventList without an items array", text));
                return;
            }
            parseItems(record, cluster, items, out, text);
        } else if (root.isObject()) {
            parseOne(record, cluster, (ObjectNode) root, -1, out, text);
        } else {
            out.deadLetter(dead(record, "wrong-type", "expected a JSON object, EventList or array, found "
                    + root.getNodeType().toString().toLowerCase(), text));
        }
    }

    private void parseItems(RawRecord record, String cluster, JsonNode items, Output out, String text) {
        int index = 0;
        for (JsonNode item : items) {
            if (item.isObject()) {
                parseOne(record, cluster, (ObjectNode) item, index, out, item.toString());
            } else {
                out.deadLetter(dead(record, "wrong-type", "item " + index + ": expected an Event object, found "
                        + item.getNodeType().toString().toLowerCase(), item.toString()));
            }
            index++;
        }
    }

    private void parseOne(RawRecord record, String cluster, ObjectNode node, int item, Output out, String text) {
        String where = item < 0 ? "" : "item " + item + ": ";
        try {
            AuditEvent event = toEvent(node);
            if (event == null) {
                out.skipped("stage:" + node.path("stage").asText());
                return;
            }
            event.cluster = cluster;
            event.source = record.source;
            event.sourcePosition = record.position;
            out.event(event);
        } catch (InvalidEventException e) {
            out.deadLetter(dead(record, e.category, where + e.getMessage(), text));
        }
    }

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
    }

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

    private static String lossyText(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private DeadLetter dead(RawRecord record, String category, String reason, String text) {
        return DeadLetter.of(record.source, record.position, category, reason, text, maxDeadLetterText);
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
