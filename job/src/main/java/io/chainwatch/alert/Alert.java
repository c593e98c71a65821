package io.chainwatch.alert;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An alert as written to every sink. The JSON form is documented in {@code docs/alerts.md} and
 * {@code docs/alert.schema.json}; bump {@link #SCHEMA_VERSION} on any incompatible change.
 */
@JsonPropertyOrder({"schemaVersion", "alertId", "ruleId", "title", "severity", "mitre", "cluster", "key",
        "firstSeen", "lastSeen", "detectedAt", "occurrences", "summary", "evidence"})
public class Alert {
    public static final String SCHEMA_VERSION = "1.1";

    public String schemaVersion = SCHEMA_VERSION;
    /** Deterministic: a hash of the rule, the cluster and the matched auditIDs. */
    public String alertId;
    public String ruleId;
    public String title;
    public String severity;
    public Mitre mitre;
    public String cluster;
    /** The correlation key: field name → value. */
    public Map<String, String> key;
    public String firstSeen;
    public String lastSeen;
    /** Wall-clock time the alert was raised. */
    public String detectedAt;
    /**
     * How many matches this alert stands for: 1, or more when the pattern suppresses repeats and a later
     * update of the same alertId reports how many matches its suppression period absorbed.
     */
    public int occurrences = 1;
    public String summary;
    public List<AlertEvidence> evidence;

    public Alert() {}

    /** MITRE ATT&CK mapping. */
    @JsonPropertyOrder({"tactics", "techniques"})
    public static class Mitre {
        public List<String> tactics;
        public List<String> techniques;

        public Mitre() {}

        public Mitre(List<String> tactics, List<String> techniques) {
            this.tactics = tactics;
            this.techniques = techniques;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mitre && Objects.equals(tactics, ((Mitre) o).tactics)
                    && Objects.equals(techniques, ((Mitre) o).techniques);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tactics, techniques);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert a = (Alert) o;
        return Objects.equals(alertId, a.alertId) && Objects.equals(ruleId, a.ruleId) && Objects.equals(title, a.title)
                && Objects.equals(severity, a.severity) && Objects.equals(mitre, a.mitre)
                && Objects.equals(cluster, a.cluster) && Objects.equals(key, a.key)
                && Objects.equals(firstSeen, a.firstSeen) && Objects.equals(lastSeen, a.lastSeen)
                && occurrences == a.occurrences
                && Objects.equals(summary, a.summary) && Objects.equals(evidence, a.evidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId);
    }

    @Override
    public String toString() {
        return "Alert{" + ruleId + " " + severity + " " + key + " " + firstSeen + ".." + lastSeen + "}";
    }
}
