package io.chainwatch.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads audit log files for Flink's {@code FileSource}: NDJSON (one record per line) or a single JSON
 * document spread over many lines (a pretty-printed {@code EventList} or array), plain or gzip-compressed.
 *
 * <p>A {@code BulkFormat} rather than a {@code StreamFormat} because only a bulk reader sees the split's
 * path, and every record (and every dead letter) must say which file it came from. Read failures (a gzip
 * stream cut short, a line longer than the limit) become {@link RawRecord#failure} records so that they are
 * counted and dead-lettered downstream instead of failing the job.
 *
 * <p>Checkpointed position = number of records emitted; on restore the file is re-read and that many records
 * are skipped (compressed files cannot seek).
 */
public final class AuditLogFormat implements BulkFormat<RawRecord, FileSourceSplit> {

    private static final long serialVersionUID = 1L;
    private static final int BATCH_SIZE = 256;

    private final int maxLineBytes;
    private final long maxDocumentBytes;
    /** Name records' cluster after the file's parent directory (logs/<cluster>/*.log). */
    private final boolean clusterFromPath;

    public AuditLogFormat(int maxLineBytes, long maxDocumentBytes) {
        this(maxLineBytes, maxDocumentBytes, false);
    }

    public AuditLogFormat(int maxLineBytes, long maxDocumentBytes, boolean clusterFromPath) {
        this.maxLineBytes = maxLineBytes;
        this.maxDocumentBytes = maxDocumentBytes;
        this.clusterFromPath = clusterFromPath;
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new AuditLogReader(split.path(), split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L));
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return createReader(config, split);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    /** Opens a file and undoes its compression, chosen by file name. */
    public static InputStream open(Path path) throws IOException {
        FileSystem fs = path.getFileSystem();
        FSDataInputStream raw = fs.open(path);
        String name = path.getName().toLowerCase();
        InputStream in = new BufferedInputStream(raw, 256 * 1024);
        if (name.endsWith(".gz") || name.endsWith(".gzip")) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        if (name.endsWith(".zst") || name.endsWith(".zstd")) {
            return new com.github.luben.zstd.ZstdInputStream(in);
        }
        return in;
    }

    private final class AuditLogReader implements BulkFormat.Reader<RawRecord> {
        private final String source;
        private final PushbackInputStream in;
        private final BoundedLineReader lines;
        private long lineNumber;
        private long emitted;
        private boolean documentMode;
        private boolean started;
        private boolean done;

        /** Set when the file could not be opened at all; reported once as a failure record. */
        private String openError;

        private final String cluster;

        AuditLogReader(Path path, long skip) throws IOException {
            this.source = path.toString();
            Path parent = path.getParent();
            this.cluster = clusterFromPath && parent != null && !parent.getName().isEmpty() ? parent.getName() : null;
            InputStream opened;
            try {
                opened = open(path);
            } catch (IOException e) {
                // Unreadable, or not the compression its name says: report it and read nothing.
                opened = InputStream.nullInputStream();
                openError = "cannot read file: " + e;
            }
            this.in = new PushbackInputStream(opened, 1);
            this.lines = new BoundedLineReader(in, maxLineBytes);
            // Records are re-read after a restore; skip the ones already emitted before the checkpoint.
            for (long i = 0; i < skip && !done; i++) {
                if (nextRecord() == null) {
                    done = true;
                }
            }
            emitted = skip;
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            if (done) {
                return null;
            }
            RawRecord[] batch = new RawRecord[BATCH_SIZE];
            int n = 0;
            while (n < BATCH_SIZE) {
                RawRecord r = nextRecord();
                if (r == null) {
                    done = true;
                    break;
                }
                r.cluster = cluster;
                batch[n++] = r;
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<RawRecord> it = new ArrayResultIterator<>();
            it.set(batch, n, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += n;
            return it;
        }

        /** The next non-blank record, or null at the end of the file. Never throws on bad content. */
        private RawRecord nextRecord() throws IOException {
            if (done) {
                return null;
            }
            if (openError != null) {
                done = true;
                String error = openError;
                openError = null;
                return RawRecord.failure(source, 0, error, null);
            }
            try {
                if (!started) {
                    started = true;
                    documentMode = detectDocument();
                    if (documentMode) {
                        done = true;
                        return readDocument();
                    }
                }
                while (true) {
                    BoundedLineReader.Line line = pendingFirst;
                    pendingFirst = null;
                    if (line == null) {
                        line = lines.readLine();
                        if (line == null) {
                            return null;
                        }
                        lineNumber++;
                    }
                    if (line.oversized) {
                        return RawRecord.failure(source, lineNumber, "line of " + line.length
                                + " bytes exceeds the maximum event size of " + maxLineBytes + " bytes",
                                Arrays.copyOf(line.bytes, Math.min(line.bytes.length, DeadLetter.DEFAULT_MAX_TEXT)));
                    }
                    if (!isBlank(line.bytes)) {
                        return RawRecord.of(source, lineNumber, line.bytes);
                    }
                }
            } catch (IOException e) {
                // Corrupt or truncated compressed data: report where it stopped and end this file.
                done = true;
                return RawRecord.failure(source, lineNumber + 1,
                        "file unreadable after line " + lineNumber + ": " + e, null);
            }
        }

        /**
         * A file is one multi-line JSON document when it starts with '[' or when its first line does not
         * close the object it opens (a pretty-printed EventList); NDJSON lines always end with '}'.
         */
        private boolean detectDocument() throws IOException {
            int b;
            do {
                b = in.read();
                if (b == '\n') {
                    lineNumber++;
                }
            } while (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF);
            if (b < 0) {
                return false;
            }
            in.unread(b);
            if (b == '[') {
                return true;
            }
            if (b != '{') {
                return false;
            }
            BoundedLineReader.Line first = lines.readLine();
            lineNumber++;
            pendingFirst = first;
            String text = new String(first.bytes, StandardCharsets.UTF_8).strip();
            return !first.oversized && !text.endsWith("}");
        }

        private BoundedLineReader.Line pendingFirst;

        private RawRecord readDocument() throws IOException {
            java.io.ByteArrayOutputStream doc = new java.io.ByteArrayOutputStream();
            if (pendingFirst != null) {
                doc.write(pendingFirst.bytes);
                doc.write('\n');
                pendingFirst = null;
            }
            if (!lines.readRemaining(doc, maxDocumentBytes)) {
                return RawRecord.failure(source, 1, "JSON document exceeds the maximum document size of "
                        + maxDocumentBytes + " bytes", Arrays.copyOf(doc.toByteArray(), DeadLetter.DEFAULT_MAX_TEXT));
            }
            return RawRecord.of(source, 1, doc.toByteArray());
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
