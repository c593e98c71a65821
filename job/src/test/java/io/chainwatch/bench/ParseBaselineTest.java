package io.chainwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParseBaselineTest {

    @TempDir
    Path tmp;

    @Test
    void aMalformedLineIsCountedAndTheRunGoesOn() throws Exception {
        String event = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"%s\","
                + "\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"requestURI\":\"/api\",\"user\":{\"username\":\"u\"},"
                + "\"stageTimestamp\":\"2026-11-01T10:00:00.000000Z\"}";
        Path f = tmp.resolve("audit.log");
        Files.write(f, List.of(String.format(event, "a-1"), "{\"kind\":\"Event\",", String.format(event, "a-2")));
        for (ParseBaseline.Mode mode : ParseBaseline.Mode.values()) {
            ParseBaseline.Result r = ParseBaseline.run(List.of(f), mode);
            assertThat(r.lines).as(mode.name()).isEqualTo(3);
            assertThat(r.malformed).as(mode.name()).isEqualTo(1);
            assertThat(r.events).as(mode.name()).isEqualTo(2);
        }
    }
}
