package io.chainwatch.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.alert.Alert;
import io.chainwatch.alert.AlertEvidence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BacktestReportTest {

    private static Alert alert(String rule, String... idAndIp) {
        Alert a = new Alert();
        a.ruleId = rule;
        a.evidence = new ArrayList<>();
        for (int i = 0; i < idAndIp.length; i += 2) {
            AlertEvidence e = new AlertEvidence();
            e.auditID = idAndIp[i];
            e.sourceIP = idAndIp[i + 1];
            a.evidence.add(e);
        }
        return a;
    }

    private static void label(ArrayNode labels, String pattern, String attackerIP, String... ids) {
        ObjectNode l = labels.addObject().put("scenario", pattern + "-scenario").put("pattern", pattern).put("cluster", "c");
        ArrayNode a = l.putArray("auditIDs");
        for (String id : ids) {
            a.add(id);
        }
        l.put("attackerIP", attackerIP);
    }

    @Test
    void anAlertIsFoundOnItsOwnLabelOnAnotherAttackOrOnBackground() {
        ArrayNode labels = JsonNodeFactory.instance.arrayNode();
        label(labels, "p", "203.0.113.7", "a1", "a2");
        label(labels, "p", "203.0.113.8", "b1", "b2");
        label(labels, "q", "203.0.113.9", "c1", "c2");
        List<Alert> alerts = List.of(
                alert("p", "a1", "203.0.113.7", "a2", "203.0.113.7"), // its own label
                alert("p", "c1", "203.0.113.9", "x1", "10.0.0.4"),    // an event of q's instance
                alert("p", "x2", "10.0.0.5", "x3", "203.0.113.9"),    // from q's attacker address
                alert("p", "x4", "10.0.0.6", "x5", "10.0.0.7"));      // background
        JsonNode p = BacktestReport.quality(alerts, labels, List.of("p", "q")).path("p");
        assertThat(p.path("labels").asInt()).isEqualTo(2);
        assertThat(p.path("labelsFound").asInt()).isEqualTo(1);
        assertThat(p.path("recall").asDouble()).isEqualTo(0.5);
        assertThat(p.path("truePositives").asInt()).isEqualTo(1);
        assertThat(p.path("falsePositives").asInt()).isEqualTo(3);
        assertThat(p.path("onOtherAttacks").asInt()).isEqualTo(2);
        assertThat(p.path("onBackground").asInt()).isEqualTo(1);
        JsonNode q = BacktestReport.quality(alerts, labels, List.of("p", "q")).path("q");
        assertThat(q.path("alerts").asInt()).isZero();
        assertThat(q.path("recall").asDouble()).isZero();
    }
}
