package io.chainwatch.detect;

import io.chainwatch.alert.Alert;
import io.chainwatch.alert.AlertEvidence;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditTimestamps;
import io.chainwatch.pattern.FieldPath;
import io.chainwatch.pattern.KeyField;
import io.chainwatch.pattern.PatternDefinition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds {@link Alert}s from matched events; shared by single-event and sequence patterns. */
public final class AlertFactory {

    private AlertFactory() {}

    /** One step's matched event. */
    public static final class StepMatch {
        final String step;
        final PatternEvent event;

        public StepMatch(String step, PatternEvent event) {
            this.step = step;
            this.event = event;
        }
    }

    public static AlertEvidence evidence(AuditEvent e, String step) {
        AlertEvidence ev = new AlertEvidence();
        ev.step = step;
        ev.auditID = e.auditID;
        ev.time = AuditTimestamps.formatMicros(e.eventTimeMicros);
        ev.verb = e.verb;
        ev.user = e.principal;
        ev.sourceIP = e.clientIP;
        ev.userAgent = e.userAgent;
        ev.resource = e.resource;
        ev.subresource = e.subresource;
        ev.namespace = e.namespace;
        ev.name = e.objectName;
        ev.responseCode = e.responseCode;
        return ev;
    }

    /**
     * Slices an audit event for one pattern: key, evidence and the template's fields.
     * {@code templatePaths.get(i)} are the paths the summary reads from step i's event.
     */
    public static PatternEvent slice(String patternId, AuditEvent e, String key, Map<String, String> keyValues,
                                     long stepMask, List<List<FieldPath>> templatePaths) {
        PatternEvent pe = new PatternEvent();
        pe.patternId = patternId;
        pe.cluster = e.cluster;
        pe.key = key;
        pe.keyFields = keyValues;
        pe.stepMask = stepMask;
        pe.eventTimeMicros = e.eventTimeMicros;
        pe.requestReceivedMicros = e.requestReceivedMicros;
        pe.evidence = evidence(e, null);
        Map<String, List<String>> fields = new HashMap<>();
        for (int i = 0; i < templatePaths.size(); i++) {
            if ((stepMask >>> i & 1L) != 0) {
                for (FieldPath path : templatePaths.get(i)) {
                    if (fields.containsKey(path.toString())) {
                        continue;
                    }
                    List<Object> values = path.values(e);
                    if (!values.isEmpty()) {
                        List<String> texts = new ArrayList<>(values.size());
                        for (Object v : values) {
                            texts.add(io.chainwatch.pattern.Values.text(v));
                        }
                        fields.put(path.toString(), texts);
                    }
                }
            }
        }
        pe.fields = fields;
        return pe;
    }

    /**
     * Computes the key of {@code e} under {@code keyFields}: cluster plus every key value, or null when the
     * event lacks one of them (such an event cannot be correlated and does not advance the pattern).
     */
    public static String key(AuditEvent e, List<KeyField> keyFields, Map<String, String> valuesOut) {
        StringBuilder sb = new StringBuilder(e.cluster == null ? "" : e.cluster);
        for (KeyField k : keyFields) {
            String v = k.path.firstText(e);
            if (v == null || v.isEmpty()) {
                return null;
            }
            valuesOut.put(k.name, v);
            sb.append('\u001f').append(v);
        }
        return sb.toString();
    }

    public static Alert build(PatternDefinition def, List<StepMatch> matches, long detectedAtMillis) {
        return build(def, matches, detectedAtMillis, Map.of());
    }

    /** {@code matchValues}: the values of {@code {{match.*}}} placeholders (aggregate counts, new term). */
    public static Alert build(PatternDefinition def, List<StepMatch> matches, long detectedAtMillis,
                              Map<String, String> matchValues) {
        Alert a = new Alert();
        a.ruleId = def.id;
        a.title = def.title;
        io.chainwatch.pattern.Severity severity = def.severity;
        for (StepMatch m : matches) {
            for (int i = 0; i < def.escalations.size(); i++) {
                if ((m.event.escalationMask >>> i & 1L) != 0 && def.escalations.get(i).severity.compareTo(severity) > 0) {
                    severity = def.escalations.get(i).severity;
                }
            }
        }
        a.severity = severity.label();
        a.mitre = new Alert.Mitre(def.tactics, def.techniques);
        PatternEvent first = matches.get(0).event;
        a.cluster = first.cluster;
        Map<String, String> key = new LinkedHashMap<>();
        for (KeyField k : def.key) {
            String v = first.keyFields == null ? null : first.keyFields.get(k.name);
            if (v != null) {
                key.put(k.name, v);
            }
        }
        a.key = key;
        long firstSeen = Long.MAX_VALUE;
        long lastSeen = Long.MIN_VALUE;
        List<AlertEvidence> evidence = new ArrayList<>(matches.size());
        Map<String, Map<String, String>> stepFields = new HashMap<>();
        StringBuilder idInput = new StringBuilder(def.id).append('\n').append(a.cluster);
        Set<String> seen = new HashSet<>();
        for (StepMatch m : matches) {
            PatternEvent pe = m.event;
            firstSeen = Math.min(firstSeen, pe.eventTimeMicros);
            lastSeen = Math.max(lastSeen, pe.eventTimeMicros);
            AlertEvidence ev = copyWithStep(pe.evidence, m.step);
            evidence.add(ev);
            stepFields.putIfAbsent(m.step, firstValues(pe.fields));
            if (seen.add(pe.evidence.auditID)) {
                idInput.append('\n').append(pe.evidence.auditID);
            }
        }
        a.evidence = evidence;
        stepFields.put("match", matchValues);
        a.firstSeen = AuditTimestamps.formatMicros(firstSeen);
        a.lastSeen = AuditTimestamps.formatMicros(lastSeen);
        a.detectedAt = AuditTimestamps.formatMicros(detectedAtMillis * 1000L);
        a.alertId = hash(idInput.toString());
        if (def.titleTemplate != null) {
            a.title = def.titleTemplate.render(key, stepFields::get);
        }
        a.summary = def.summary != null ? def.summary.render(key, stepFields::get) : defaultSummary(a.title, key);
        return a;
    }

    private static String defaultSummary(String title, Map<String, String> key) {
        return key.isEmpty() ? title : title + " (" + key + ")";
    }

    private static Map<String, String> firstValues(Map<String, List<String>> fields) {
        Map<String, String> out = new HashMap<>();
        if (fields != null) {
            fields.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    out.put(k, v.get(0));
                }
            });
        }
        return out;
    }

    private static AlertEvidence copyWithStep(AlertEvidence src, String step) {
        AlertEvidence ev = new AlertEvidence();
        ev.step = step;
        ev.auditID = src.auditID;
        ev.time = src.time;
        ev.verb = src.verb;
        ev.user = src.user;
        ev.sourceIP = src.sourceIP;
        ev.userAgent = src.userAgent;
        ev.resource = src.resource;
        ev.subresource = src.subresource;
        ev.namespace = src.namespace;
        ev.name = src.name;
        ev.responseCode = src.responseCode;
        return ev;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                sb.append(String.format("%02x", d[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
