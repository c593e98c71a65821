package io.chainwatch.ingest;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogFormatTest {

    @TempDir
    java.nio.file.Path dir;

    private final AuditLogFormat format = new AuditLogFormat(1024, 1 << 20);

    private List<RawRecord> read(java.nio.file.Path file, long skip) throws IOException {
        FileSourceSplit split = new FileSourceSplit("s", new Path(file.toUri()), 0, Files.size(file), 0, Files.size(file));
        if (skip > 0) {
            split = split.updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, skip));
        }
        List<RawRecord> out = new ArrayList<>();
        try (BulkFormat.Reader<RawRecord> reader = format.createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<RawRecord> batch;
            while ((batch = reader.readBatch()) != null) {
                RecordAndPosition<RawRecord> r;
                while ((r = batch.next()) != null) {
                    out.add(r.getRecord());
                }
                batch.releaseBatch();
            }
        }
        return out;
    }

    private static String text(RawRecord r) {
        return new String(r.bytes, StandardCharsets.UTF_8);
    }

    @Test
    void readsNdjsonLinesWithTheirLineNumbers() throws IOException {
        java.nio.file.Path f = dir.resolve("audit.log");
        Files.writeString(f, "{\"a\":1}\n\n{\"b\":2}\r\n   \n{\"c\":3}");
        List<RawRecord> records = read(f, 0);
        assertThat(records).extracting(AuditLogFormatTest::text).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        assertThat(records).extracting(r -> r.position).containsExactly(1L, 3L, 5L);
        assertThat(records.get(0).source).endsWith("audit.log");
    }

    @Test
    void resumesAfterTheCheckpointedRecordCount() throws IOException {
        java.nio.file.Path f = dir.resolve("audit.log");
        Files.writeString(f, "{\"a\":1}\n\n{\"b\":2}\n{\"c\":3}\n");
        assertThat(read(f, 2)).extracting(r -> r.position).containsExactly(4L);
    }

    @Test
    void readsGzipAndReportsATruncatedStream() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("{\"auditID\":\"").append(i).append("\",\"pad\":\"").append(Integer.toHexString(i * 7919)).append("\"}\n");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        java.nio.file.Path whole = dir.resolve("whole.log.gz");
        Files.write(whole, bytes.toByteArray());
        assertThat(read(whole, 0)).hasSize(2000).allSatisfy(r -> assertThat(r.readError).isNull());

        java.nio.file.Path cut = dir.resolve("cut.log.gz");
        byte[] all = bytes.toByteArray();
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        List<RawRecord> records = read(cut, 0);
        RawRecord last = records.get(records.size() - 1);
        assertThat(last.readError).contains("unreadable after line");
        assertThat(records.subList(0, records.size() - 1)).isNotEmpty().allSatisfy(r -> assertThat(r.readError).isNull());
    }

    @Test
    void reportsOversizedLinesAndGoesOn() throws IOException {
        java.nio.file.Path f = dir.resolve("big.log");
        Files.writeString(f, "{\"a\":1}\n{\"big\":\"" + "x".repeat(5000) + "\"}\n{\"c\":3}\n");
        List<RawRecord> records = read(f, 0);
        assertThat(records).hasSize(3);
        assertThat(records.get(1).readError).contains("exceeds the maximum event size of 1024 bytes");
        assertThat(records.get(1).position).isEqualTo(2);
        assertThat(text(records.get(2))).isEqualTo("{\"c\":3}");
    }

    @Test
    void readsAPrettyPrintedEventListAsOneDocument() throws IOException {
        java.nio.file.Path f = dir.resolve("list.json");
        Files.writeString(f, "\n{\n  \"kind\": \"EventList\",\n  \"items\": [\n    {\"auditID\": \"x\"}\n  ]\n}\n");
        List<RawRecord> records = read(f, 0);
        assertThat(records).hasSize(1);
        assertThat(text(records.get(0))).contains("EventList").contains("\"x\"");

        java.nio.file.Path arr = dir.resolve("array.json");
        Files.writeString(arr, "[{\"auditID\": \"x\"},\n {\"auditID\": \"y\"}]");
        assertThat(read(arr, 0)).hasSize(1);
    }

    @Test
    void aFileThatIsNotWhatItsNameSaysIsReportedNotFatal() throws IOException {
        java.nio.file.Path f = dir.resolve("not-really.log.gz");
        Files.writeString(f, "{\"plain\": \"text\"}\n");
        List<RawRecord> records = read(f, 0);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.readError).startsWith("cannot read file:").contains("Not in GZIP format");
            assertThat(r.position).isZero();
        });
    }
}
