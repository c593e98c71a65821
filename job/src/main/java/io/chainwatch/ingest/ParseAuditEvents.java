package io.chainwatch.ingest;

import io.chainwatch.pipeline.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Flink operator around {@link AuditEventParser}: events out, dead letters to a side output, all counted. */
public class ParseAuditEvents extends ProcessFunction<RawRecord, AuditEvent> {

    private static final long serialVersionUID = 1L;

    private final String defaultCluster;
    private final int maxDeadLetterText;
    private final OutputTag<DeadLetter> deadLetters;
    private final SourceFormat format;

    private transient AuditEventParser parser;
    private transient Counters counters;
    private transient Bridge bridge;

    public ParseAuditEvents(String defaultCluster, int maxDeadLetterText, OutputTag<DeadLetter> deadLetters) {
        this(defaultCluster, maxDeadLetterText, deadLetters, null);
    }

    /** {@code format}: the only envelope accepted, or null to detect it per document. */
    public ParseAuditEvents(String defaultCluster, int maxDeadLetterText, OutputTag<DeadLetter> deadLetters, SourceFormat format) {
        this.defaultCluster = defaultCluster;
        this.maxDeadLetterText = maxDeadLetterText;
        this.deadLetters = deadLetters;
        this.format = format;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new AuditEventParser(defaultCluster, maxDeadLetterText, format);
        counters = new Counters(getRuntimeContext());
        bridge = new Bridge();
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<AuditEvent> out) {
        counters.inc("records.read");
        bridge.ctx = ctx;
        bridge.out = out;
        parser.parse(record, bridge);
    }

    private final class Bridge implements AuditEventParser.Output {
        Context ctx;
        Collector<AuditEvent> out;

        @Override
        public void event(AuditEvent event) {
            counters.inc("events.parsed");
            out.collect(event);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            counters.inc("deadletters." + deadLetter.category);
            ctx.output(deadLetters, deadLetter);
        }

        @Override
        public void skipped(String category) {
            counters.inc("skipped." + category);
        }
    }
}
