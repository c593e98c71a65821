package io.chainwatch.detect;

import io.chainwatch.alert.AlertEvidence;

import java.util.List;
import java.util.Map;

/**
 * What the router sends to a sequence's CEP operator: the slice of an audit event that one pattern needs.
 * Small on purpose, since CEP keeps every buffered event in state: which steps the event satisfies (a
 * bitmask, so CEP conditions are a bit test instead of re-evaluating predicates), its correlation key, its
 * evidence and the few field values the alert template reads.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(PatternEventSerializer.Factory.class)
public class PatternEvent {
    public String patternId;
    public String cluster;
    /** cluster + key values: what the CEP operator is keyed by. */
    public String key;
    /** Key field name → value. */
    public Map<String, String> keyFields;
    /** Bit i set = the event satisfies step i (under this key). */
    public long stepMask;
    /** Bit i set = the event meets escalation rule i of the pattern. */
    public long escalationMask;
    public long eventTimeMicros;
    public Long requestReceivedMicros;
    public AlertEvidence evidence;
    /** Field path → its values as text, for the paths the summary template and the step joins read. */
    public Map<String, List<String>> fields;

    public PatternEvent() {}

    public boolean matchesStep(int index) {
        return (stepMask >>> index & 1L) != 0;
    }

    @Override
    public String toString() {
        return "PatternEvent{" + patternId + " key=" + keyFields + " mask=" + Long.toBinaryString(stepMask)
                + " " + (evidence == null ? "" : evidence.auditID) + "}";
    }
}
