package io.chainwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.RawRecord;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The yardstick every benchmark rate is divided by: one thread, no Flink, gunzip + split lines + parse each
 * line as JSON. {@link Mode#JSON} builds a Jackson tree of every line (the cost any JSON consumer pays);
 * {@link Mode#CHAINWATCH} runs chainwatch's own parser instead (envelopes, derived fields, redaction), which
 * shows what the parser adds on top of plain JSON.
 */
public final class ParseBaseline {

    public enum Mode { JSON, CHAINWATCH }

    /** What one run read. */
    public static final class Result {
        public long lines;
        public long events;
        /** Lines that are not JSON (JSON mode) or that the parser dead-lettered: counted, and the run goes on. */
        public long malformed;
        public long compressedBytes;
        public long rawBytes;
        public double seconds;

        public double eventsPerSecond() {
            return lines / Math.max(seconds, 1e-9);
        }
    }

    private ParseBaseline() {}

    public static Result run(List<Path> inputs, Mode mode) throws IOException {
        List<Path> files = files(inputs);
        Result r = new Result();
        ObjectMapper mapper = new ObjectMapper();
        AuditEventParser parser = new AuditEventParser("default", DeadLetter.DEFAULT_MAX_TEXT);
        long[] events = {0};
        AuditEventParser.Output sink = new AuditEventParser.Output() {
            @Override
            public void event(AuditEvent event) {
                events[0]++;
            }

            @Override
            public void deadLetter(DeadLetter deadLetter) {
                r.malformed++;
            }

            @Override
            public void skipped(String category) {
                // RequestReceived stages and the like
            }
        };
        long t0 = System.nanoTime();
        for (Path f : files) {
            r.compressedBytes += Files.size(f);
            String source = f.toString();
            try (InputStream in = open(f)) {
                LineSplitter lines = new LineSplitter(in);
                byte[] line;
                while ((line = lines.next()) != null) {
                    r.lines++;
                    r.rawBytes += line.length + 1;
                    if (mode == Mode.JSON) {
                        try {
                            mapper.readTree(line);
                            events[0]++;
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            r.malformed++; // a baseline does not stop on a bad line any more than detect does
                        }
                    } else {
                        parser.parse(RawRecord.of(source, r.lines, line), sink);
                    }
                }
            }
        }
        r.seconds = (System.nanoTime() - t0) / 1e9;
        r.events = events[0];
        return r;
    }

    static InputStream open(Path f) throws IOException {
        InputStream in = Files.newInputStream(f);
        return f.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 64 * 1024) : new BufferedInputStream(in, 64 * 1024);
    }

    /** Regular files under the inputs, sorted, without the generator's labels and hidden files. */
    static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    out.addAll(s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().equals("labels.json")
                                    && !p.getFileName().toString().startsWith("."))
                            .sorted().collect(Collectors.toList()));
                }
            } else {
                out.add(in);
            }
        }
        return out;
    }

    /** Splits a stream at '\n' into byte arrays (no charset decoding: the parsers read UTF-8 bytes). */
    static final class LineSplitter {
        private final InputStream in;
        private final byte[] buf = new byte[256 * 1024];
        private int pos;
        private int limit;

        LineSplitter(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            byte[] acc = null;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (acc != null && acc.length > 0) {
                            return acc;
                        }
                        return null;
                    }
                }
                int start = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                if (pos < limit) {
                    byte[] part = Arrays.copyOfRange(buf, start, pos);
                    pos++;
                    byte[] line = acc == null ? part : concat(acc, part);
                    if (line.length == 0) {
                        acc = null;
                        continue;
                    }
                    return line;
                }
                byte[] part = Arrays.copyOfRange(buf, start, limit);
                acc = acc == null ? part : concat(acc, part);
            }
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        }
    }
}
