package io.chainwatch.generate;

import java.io.IOException;

/** {@code ndjson}: one audit.k8s.io/v1 Event per line, every stage. */
final class NdjsonWriter extends FormatWriter {

    NdjsonWriter(ClusterProfile profile, OutputFiles files) {
        super(profile, files);
    }

    @Override
    void write(Request r, byte stage, long time) throws IOException {
        events.write(generator(), r, stage, time);
        gen.writeRaw('\n');
        counted(r, stage, time, stage == r.keptStage());
        maybeRoll();
    }
}
