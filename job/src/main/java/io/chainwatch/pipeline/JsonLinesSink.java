package io.chainwatch.pipeline;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.chainwatch.ingest.JsonSupport;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Writes records as JSON lines to a local file (appending) or to stdout. Run it with parallelism 1: it is the
 * simple sink for bounded runs and the demo; live deployments use transactional sinks.
 */
public final class JsonLinesSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String file;

    private JsonLinesSink(String file) {
        this.file = file;
    }

    public static <T> JsonLinesSink<T> toFile(Path file) {
        return new JsonLinesSink<>(file.toAbsolutePath().toString());
    }

    public static <T> JsonLinesSink<T> toStdout() {
        return new JsonLinesSink<>(null);
    }

    public String describe() {
        return file == null ? "stdout" : file;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Writer out;
        if (file == null) {
            out = new OutputStreamWriter(new PrintStream(System.out, false, StandardCharsets.UTF_8), StandardCharsets.UTF_8) {
                @Override
                public void close() throws IOException {
                    flush(); // never close stdout
                }
            };
        } else {
            Path p = Paths.get(file);
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            out = Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return new Writer_<>(new BufferedWriter(out), JsonSupport.mapper().writer());
    }

    private static final class Writer_<T> implements SinkWriter<T> {
        private final BufferedWriter out;
        private final ObjectWriter json;

        Writer_(BufferedWriter out, ObjectWriter json) {
            this.out = out;
            this.json = json;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(json.writeValueAsString(element));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
