package io.chainwatch.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditWatermarksTest {

    static final class Out implements WatermarkOutput {
        final List<Long> marks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            marks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
        }

        @Override
        public void markActive() {
        }
    }

    @Test
    void advancesWithTheDataInStepsAndCatchesUpOnTheTick() {
        AuditWatermarks w = new AuditWatermarks(5_000, 1_000);
        Out out = new Out();
        w.onEvent(null, 100_000, out);
        w.onEvent(null, 100_400, out);
        w.onEvent(null, 99_000, out);
        w.onEvent(null, 101_000, out);
        w.onEvent(null, 103_500, out);
        assertThat(out.marks).containsExactly(94_999L, 95_999L, 98_499L);
        w.onEvent(null, 103_900, out);
        w.onPeriodicEmit(out);
        assertThat(out.marks).containsExactly(94_999L, 95_999L, 98_499L, 98_899L);
        w.onPeriodicEmit(out);
        assertThat(out.marks).hasSize(4);
    }
}
