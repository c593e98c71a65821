package io.chainwatch.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.RawRecord;
import io.chainwatch.ingest.SecretScrubber;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the parser (all envelopes) and of the dead-letter scrubber with Jazzer (one fuzz
 * target: Jazzer fuzzes one per JVM). Whatever
 * the bytes, parsing must end in events, dead letters or skips — never an exception — and every dead letter
 * must carry a category and a reason. In CI the fuzzer runs a bounded number of executions (see the
 * {@code fuzz} surefire execution); without JAZZER_FUZZ it replays the seeds in ParserFuzzTestInputs/.
 */
class ParserFuzzTest {

    @FuzzTest(maxExecutions = 100_000)
    void parserNeverThrowsAndAccountsForEverything(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        // The dead-letter scrubber sees the same raw text, the way it sees unparseable input.
        assertThat(SecretScrubber.scrub(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))).isNotNull();
        AuditEventParser parser = new AuditEventParser("fuzz", 512);
        int[] outcomes = new int[1];
        parser.parse(RawRecord.of("fuzz", 1, bytes), new AuditEventParser.Output() {
            @Override
            public void event(AuditEvent event) {
                assertThat(event.auditID).isNotEmpty();
                assertThat(event.verb).isNotEmpty();
                outcomes[0]++;
            }

            @Override
            public void deadLetter(DeadLetter d) {
                assertThat(d.category).isNotBlank();
                assertThat(d.reason).isNotBlank();
                assertThat(d.text == null || d.text.length() <= 512).isTrue();
                outcomes[0]++;
            }

            @Override
            public void skipped(String category) {
                outcomes[0]++;
            }
        });
        // Blank input is the only thing allowed to produce nothing at all... and even that is counted as skipped.
        assertThat(outcomes[0]).isPositive();
    }
}
