package io.chainwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {

    private static JsonNode series(long... mb) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < mb.length; i++) {
            a.addArray().add((i + 1) * 10_000L).add(mb[i] * 1_000_000L);
        }
        return a;
    }

    private static BenchReport report(long late, long... mb) {
        BenchReport r = new BenchReport(JsonNodeFactory.instance.objectNode());
        r.stateGrowth(new BenchReport.Run(10_000_000, 200, 210, 1L << 30, 2L << 30), series(mb), 100_000, late);
        return r;
    }

    @Test
    void aPlateauLevelsOffAndSteadyGrowthDoesNot() {
        assertThat(report(0, 40, 170, 175, 172, 178, 176, 179, 177, 178, 180).stateVerdict()).startsWith("levels off");
        assertThat(report(0, 40, 100, 150, 200, 250, 300, 350, 400, 450, 500).stateVerdict()).startsWith("STILL GROWING");
    }

    @Test
    void aSingleSpikeDoesNotDecideTheVerdictButIsReported() {
        String v = report(0, 150, 170, 175, 1000, 724, 177, 177, 268, 180, 176, 177, 177, 176, 177, 176, 932).stateVerdict();
        assertThat(v).startsWith("levels off").contains("highest sample 1,000 MB");
    }

    @Test
    void aReplayWithManyLateEventsIsNotAValidMeasurement() {
        BenchReport r = report(2_696_109, 40, 170, 175, 172, 178, 176, 179, 177, 178, 180);
        assertThat(r.stateVerdict()).startsWith("NOT VALID").contains("2,696,109 events were late");
        ObjectNode json = r.toJson();
        assertThat(json.path("stateGrowth").path("lateEvents").asLong()).isEqualTo(2_696_109);
        assertThat(r.renderText()).contains("NOT VALID");
    }

    @Test
    void qualitySeparatesAlertsOnOtherAttacksFromAlertsOnBackground() {
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        q.putObject("p").put("labels", 2).put("labelsFound", 1).put("recall", 0.5).put("alerts", 5)
                .put("falsePositives", 3).put("onOtherAttacks", 2).put("onBackground", 1);
        ArrayNode labels = JsonNodeFactory.instance.arrayNode();
        labels.addObject().put("scenario", "s").put("pattern", "p").putArray("auditIDs").add("a").add("b");
        BenchReport r = new BenchReport(JsonNodeFactory.instance.objectNode());
        r.quality(q, 1_000_002, labels);
        JsonNode row = r.toJson().path("quality").get(0);
        assertThat(row.path("unlabelledAlerts").asLong()).isEqualTo(3);
        assertThat(row.path("onOtherAttacks").asLong()).isEqualTo(2);
        assertThat(row.path("onBackground").asLong()).isEqualTo(1);
        assertThat(row.path("perMillionBenign").asDouble()).isEqualTo(1.0);
        assertThat(r.renderMarkdown()).contains("| p | s | 1/2 (50%) | 5 | 3 | 2 | 1 | 1.0 |");
    }
}
