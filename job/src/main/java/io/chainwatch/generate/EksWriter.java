package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * {@code eks}: CloudWatch Logs subscription payloads as a Kinesis/Firehose/Lambda consumer sees them after
 * base64 and gzip decoding, one per line: {@code {"messageType":"DATA_MESSAGE",...,"logEvents":[...]}} with
 * up to 50 log events, each {@code message} one audit event as a JSON string. A payload holds one log stream
 * (one API server instance); consecutive payloads alternate between the cluster's API servers.
 */
final class EksWriter extends FormatWriter {
    static final int MAX_EVENTS = 50;

    private final Rng rng;
    private final Scratch scratch = new Scratch();
    private final JsonGenerator inner;
    private final String logGroup;
    private int inBatch;
    private int batchSize;
    private String batchIdPart;
    private long sequence;

    EksWriter(ClusterProfile profile, OutputFiles files, Rng rng) {
        super(profile, files);
        this.rng = rng;
        this.logGroup = "/aws/eks/" + profile.name + "/cluster";
        try {
            this.inner = newGenerator(scratch);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.batchSize = nextBatchSize();
    }

    private int nextBatchSize() {
        return rng.chance(0.7) ? MAX_EVENTS : rng.between(1, MAX_EVENTS);
    }

    @Override
    void write(Request r, byte stage, long time) throws IOException {
        JsonGenerator g = generator();
        if (inBatch == 0) {
            g.writeStartObject();
            g.writeStringField("messageType", "DATA_MESSAGE");
            g.writeStringField("owner", profile.eksAccount);
            g.writeStringField("logGroup", logGroup);
            g.writeStringField("logStream", profile.eksLogStreams.get(rng.nextInt(profile.eksLogStreams.size())));
            g.writeFieldName("subscriptionFilters");
            g.writeStartArray();
            g.writeString("chainwatch");
            g.writeEndArray();
            g.writeFieldName("logEvents");
            g.writeStartArray();
            batchIdPart = rng.digits(27);
        }
        scratch.reset();
        events.write(inner, r, stage, time);
        inner.flush();
        g.writeStartObject();
        g.writeStringField("id", eventId(time));
        g.writeNumberField("timestamp", Math.floorDiv(time, 1000));
        g.writeFieldName("message");
        g.writeUTF8String(scratch.array(), 0, scratch.size());
        g.writeEndObject();
        counted(r, stage, time, stage == r.keptStage());
        if (++inBatch >= batchSize) {
            endBatch();
            maybeRoll();
        }
    }

    /**
     * CloudWatch event ids are 56 decimal digits, unique in the log group, that start with the time: here the
     * milliseconds, digits that change per delivery, and a sequence number.
     */
    private String eventId(long micros) {
        String seq = Long.toString(++sequence);
        StringBuilder sb = new StringBuilder(56).append(Math.floorDiv(micros, 1000)).append(batchIdPart);
        for (int i = sb.length() + seq.length(); i < 56; i++) {
            sb.append('0');
        }
        return sb.append(seq).toString();
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
