package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code labels.json}: a JSON array with one object per attack instance in the output:
 * {@code {scenario, pattern, cluster, auditIDs, events, attackerIP, start, end}}. {@code auditIDs} are the ids a
 * reader of the output sees (the inner event's auditID for aks/eks, insertId for gke) of the events the pattern
 * must report, in step order; {@code events} are the ids of every event of the instance (so that an alert of
 * another pattern on the same attack is told apart from one on background traffic, even when the attack runs
 * from inside a pod); {@code attackerIP} is the address the attacker's own requests come from;
 * {@code start}/{@code end} span every written record of the instance.
 */
final class LabelsWriter {
    private LabelsWriter() {}

    static void write(Path file, List<AttackInstance> instances) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator g = FormatWriter.JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (AttackInstance a : instances) {
                g.writeStartObject();
                g.writeStringField("scenario", a.scenario);
                g.writeStringField("pattern", a.pattern);
                g.writeStringField("cluster", a.cluster);
                g.writeFieldName("auditIDs");
                g.writeStartArray();
                for (String id : a.auditIDs()) {
                    g.writeString(id);
                }
                g.writeEndArray();
                g.writeFieldName("events");
                g.writeStartArray();
                for (String id : a.writtenEvents) {
                    g.writeString(id);
                }
                g.writeEndArray();
                g.writeStringField("attackerIP", a.attackerIP);
                g.writeStringField("start", Times.rfc3339(a.firstWritten));
                g.writeStringField("end", Times.rfc3339(a.lastWritten));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
    }
}
