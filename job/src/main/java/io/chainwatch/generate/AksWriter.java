package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * {@code aks}: Azure diagnostic records as an Event Hub delivers them, one message per line:
 * {@code {"records":[...]}} with up to 50 records. Audit records have category {@code kube-audit} and the
 * event as a JSON string (ending in a newline) in {@code properties.log}; about 1% of the records are
 * {@code kube-apiserver} klog lines, which a reader must skip.
 */
final class AksWriter extends FormatWriter {
    static final int MAX_RECORDS = 50;
    static final double KLOG_SHARE = 0.01;

    private final Rng rng;
    private final Scratch scratch = new Scratch();
    private final JsonGenerator inner;
    private final String resourceId;
    private int inBatch;
    private int batchSize;

    AksWriter(ClusterProfile profile, OutputFiles files, Rng rng) {
        super(profile, files);
        this.rng = rng;
        this.resourceId = profile.resourceId();
        try {
            this.inner = newGenerator(scratch);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.batchSize = nextBatchSize();
    }

    private int nextBatchSize() {
        return rng.chance(0.7) ? MAX_RECORDS : rng.between(1, MAX_RECORDS);
    }

    @Override
    void write(Request r, byte stage, long time) throws IOException {
        String pod = profile.apiServerPods.get((int) (Rng.mix64(r.auditID.hashCode()) & 1));
        if (rng.chance(KLOG_SHARE)) {
            JsonGenerator g = startRecord(time, "kube-apiserver");
            g.writeStringField("log", Klog.line(rng, time, times));
            g.writeStringField("stream", "stderr");
            g.writeStringField("pod", pod);
            endRecord(g);
        }
        scratch.reset();
        events.write(inner, r, stage, time);
        inner.flush();
        scratch.write('\n');
        JsonGenerator g = startRecord(time, "kube-audit");
        g.writeFieldName("log");
        g.writeUTF8String(scratch.array(), 0, scratch.size());
        g.writeStringField("stream", "stdout");
        g.writeStringField("pod", pod);
        counted(r, stage, time, stage == r.keptStage());
        endRecord(g);
    }

    private JsonGenerator startRecord(long time, String category) throws IOException {
        JsonGenerator g = generator();
        if (inBatch == 0) {
            g.writeStartObject();
            g.writeFieldName("records");
            g.writeStartArray();
        }
        g.writeStartObject();
        g.writeFieldName("time");
        g.writeString(times.buffer(), 0, times.format(time, 7));
        g.writeStringField("resourceId", resourceId);
        g.writeStringField("category", category);
        g.writeStringField("operationName", "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read");
        g.writeFieldName("properties");
        g.writeStartObject();
        return g;
    }

    private void endRecord(JsonGenerator g) throws IOException {
        g.writeEndObject();
        g.writeEndObject();
        if (++inBatch >= batchSize) {
            endBatch();
            maybeRoll();
        }
    }

    @Override
    void endBatch() throws IOException {
        if (inBatch > 0) {
            gen.writeEndArray();
            gen.writeEndObject();
            gen.writeRaw('\n');
            inBatch = 0;
            batchSize = nextBatchSize();
        }
    }
}
