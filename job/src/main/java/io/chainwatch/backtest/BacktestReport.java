package io.chainwatch.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.alert.Alert;
import io.chainwatch.alert.AlertEvidence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a backtest found: per pattern alerts, alerts per day, distinct keys and first/last; with a baseline,
 * the diff (alerts only in the new set, only in the old, in both); with labels, precision and recall.
 */
public final class BacktestReport {

    private BacktestReport() {}

    /** Identity of an alert across pattern versions: cluster, key and the matched events (not the rule id). */
    static String identity(Alert a) {
        return a.cluster + "|" + new TreeMap<>(a.key == null ? Map.of() : a.key) + "|"
                + a.evidence.stream().map(e -> e.auditID).collect(Collectors.joining(","));
    }

    public static ObjectNode summary(List<Alert> alerts, List<String> patternIds, long events, int files,
                                     List<String> partitions, double seconds) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode run = root.putObject("run");
        run.put("eventsScanned", events);
        run.put("files", files);
        run.put("partitions", partitions.size());
        if (!partitions.isEmpty()) {
            run.put("firstPartition", partitions.get(0));
            run.put("lastPartition", partitions.get(partitions.size() - 1));
        }
        run.put("seconds", Math.round(seconds * 10) / 10.0);
        ObjectNode per = root.putObject("patterns");
        for (String id : patternIds) {
            List<Alert> mine = alerts.stream().filter(a -> a.ruleId.equals(id)).collect(Collectors.toList());
            ObjectNode p = per.putObject(id);
            p.put("alerts", mine.size());
            ObjectNode days = p.putObject("alertsPerDay");
            new TreeMap<>(mine.stream().collect(Collectors.groupingBy(a -> a.firstSeen.substring(0, 10), Collectors.counting())))
                    .forEach(days::put);
            p.put("distinctKeys", mine.stream().map(a -> a.cluster + "|" + new TreeMap<>(a.key)).distinct().count());
            mine.stream().map(a -> a.firstSeen).min(String::compareTo).ifPresent(v -> p.put("firstSeen", v));
            mine.stream().map(a -> a.lastSeen).max(String::compareTo).ifPresent(v -> p.put("lastSeen", v));
            ArrayNode top = p.putArray("topKeys");
            mine.stream().collect(Collectors.groupingBy(a -> String.valueOf(new TreeMap<>(a.key)), Collectors.counting()))
                    .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                    .forEach(e -> top.addObject().put("key", e.getKey()).put("alerts", e.getValue()));
        }
        return root;
    }

    /** New vs baseline alerts, per pattern id. */
    public static ObjectNode diff(List<Alert> alerts, List<Alert> baseline, List<String> patternIds) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (String id : patternIds) {
            Set<String> now = alerts.stream().filter(a -> a.ruleId.equals(id)).map(BacktestReport::identity)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> before = baseline.stream().filter(a -> a.ruleId.equals(id))
                    .map(BacktestReport::identity).collect(Collectors.toCollection(TreeSet::new));
            ObjectNode p = root.putObject(id);
            Set<String> onlyNew = new TreeSet<>(now);
            onlyNew.removeAll(before);
            Set<String> onlyOld = new TreeSet<>(before);
            onlyOld.removeAll(now);
            Set<String> both = new TreeSet<>(now);
            both.retainAll(before);
            p.put("onlyNew", onlyNew.size());
            p.put("onlyBaseline", onlyOld.size());
            p.put("both", both.size());
            onlyNew.stream().limit(100).forEach(p.withArray("onlyNewAlerts")::add);
            onlyOld.stream().limit(100).forEach(p.withArray("onlyBaselineAlerts")::add);
        }
        return root;
    }

    /**
     * Precision and recall per pattern against labelled attacks ({pattern, cluster, auditIDs, events,
     * attackerIP}): an alert is a true positive when it shares an event with a label of its pattern; a label is
     * found when any alert of its pattern does. A false positive is split in two: {@code onOtherAttacks} shares
     * an event with any attack instance ({@code auditIDs} or {@code events}) or has evidence from a labelled
     * attacker address (the attack did what this pattern looks for too); {@code onBackground} does neither:
     * the alerts a SOC would call noise.
     */
    public static ObjectNode quality(List<Alert> alerts, JsonNode labels, List<String> patternIds) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        Map<String, List<Set<String>>> byPattern = new HashMap<>();
        Set<String> attackEvents = new HashSet<>();
        Set<String> attackerIPs = new HashSet<>();
        for (JsonNode l : labels) {
            Set<String> ids = new LinkedHashSet<>();
            l.path("auditIDs").forEach(x -> ids.add(x.asText()));
            byPattern.computeIfAbsent(l.path("pattern").asText(), k -> new ArrayList<>()).add(ids);
            attackEvents.addAll(ids);
            l.path("events").forEach(x -> attackEvents.add(x.asText()));
            if (l.hasNonNull("attackerIP")) {
                attackerIPs.add(l.get("attackerIP").asText());
            }
        }
        for (String id : patternIds) {
            List<Set<String>> mine = byPattern.getOrDefault(id, List.of());
            List<Alert> raised = alerts.stream().filter(a -> a.ruleId.equals(id)).collect(Collectors.toList());
            int tp = 0;
            int onOtherAttacks = 0;
            Set<Integer> found = new TreeSet<>();
            for (Alert a : raised) {
                boolean hit = false;
                for (int i = 0; i < mine.size(); i++) {
                    for (AlertEvidence e : a.evidence) {
                        if (mine.get(i).contains(e.auditID)) {
                            hit = true;
                            found.add(i);
                        }
                    }
                }
                tp += hit ? 1 : 0;
                if (!hit && a.evidence.stream().anyMatch(e -> attackEvents.contains(e.auditID) || attackerIPs.contains(e.sourceIP))) {
                    onOtherAttacks++;
                }
            }
            ObjectNode p = root.putObject(id);
            p.put("labels", mine.size());
            p.put("alerts", raised.size());
            p.put("truePositives", tp);
            p.put("falsePositives", raised.size() - tp);
            p.put("onOtherAttacks", onOtherAttacks);
            p.put("onBackground", raised.size() - tp - onOtherAttacks);
            p.put("labelsFound", found.size());
            if (!raised.isEmpty()) {
                p.put("precision", (double) tp / raised.size());
            }
            if (!mine.isEmpty()) {
                p.put("recall", (double) found.size() / mine.size());
            }
        }
        return root;
    }
}
