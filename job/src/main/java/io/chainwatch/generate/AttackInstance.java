package io.chainwatch.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * One injected attack: what {@code labels.json} says about it, and whether its events made it into the output
 * (a run that stops at --events N may end before an instance completes; such instances are not labelled).
 */
final class AttackInstance {
    final String scenario;
    final String pattern;
    final String cluster;
    /** The attacker's own address (requests made from inside a pod come from the pod's). */
    final String attackerIP;
    /** The requests the pattern must report as evidence, in step order. */
    final List<Request> evidence = new ArrayList<>();
    /** Every event of the instance that was written (the kept stage of each request), in write order. */
    final java.util.Set<String> writtenEvents = new java.util.LinkedHashSet<>();
    long firstWritten = Long.MAX_VALUE;
    long lastWritten = Long.MIN_VALUE;
    private int evidenceWritten;
    private boolean[] seen;

    AttackInstance(String scenario, String pattern, String cluster, String attackerIP) {
        this.scenario = scenario;
        this.pattern = pattern;
        this.cluster = cluster;
        this.attackerIP = attackerIP;
    }

    /** Marks {@code r} as evidence (in the order of the calls). */
    Request evidence(Request r) {
        r.evidenceIndex = evidence.size();
        evidence.add(r);
        return r;
    }

    /** Called by the writer for every record of this attack it wrote. */
    void written(Request r, long time, boolean keptStage) {
        firstWritten = Math.min(firstWritten, time);
        lastWritten = Math.max(lastWritten, time);
        if (keptStage) {
            writtenEvents.add(r.auditID);
        }
        if (keptStage && r.evidenceIndex >= 0) {
            if (seen == null) {
                seen = new boolean[evidence.size()];
            }
            if (!seen[r.evidenceIndex]) {
                seen[r.evidenceIndex] = true;
                evidenceWritten++;
            }
        }
    }

    /**
     * Whether the scenario found what it needed (a target app, a node) and set the attack up: every multi-step
     * pattern reports at least two events, so an instance with fewer is not an attack its pattern can find.
     */
    boolean placed() {
        return evidence.size() >= 2;
    }

    boolean complete() {
        return placed() && evidenceWritten == evidence.size();
    }

    List<String> auditIDs() {
        List<String> ids = new ArrayList<>(evidence.size());
        for (Request r : evidence) {
            ids.add(r.auditID);
        }
        return ids;
    }
}
