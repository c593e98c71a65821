package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;

/**
 * Writes one cluster's stage events in an output format, rolling files, and reports what it wrote about
 * attacks so that only complete instances are labelled. One instance per cluster (one thread).
 */
abstract class FormatWriter implements Closeable {
    static final JsonFactory JSON = JsonFactory.builder().build();

    final ClusterProfile profile;
    final OutputFiles files;
    final AuditEventWriter events = new AuditEventWriter();
    final Times times = new Times();
    JsonGenerator gen;
    private long count;
    private long inFile;
    /** First and last time of an audit event record written. */
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    FormatWriter(ClusterProfile profile, OutputFiles files) {
        this.profile = profile;
        this.files = files;
    }

    static FormatWriter create(OutputFormat format, ClusterProfile profile, OutputFiles files, Rng rng) {
        switch (format) {
            case AKS: return new AksWriter(profile, files, rng);
            case EKS: return new EksWriter(profile, files, rng);
            case GKE: return new GkeWriter(profile, files, rng);
            default: return new NdjsonWriter(profile, files);
        }
    }

    /** Audit event records written (envelope records of other kinds not counted). */
    long events() {
        return count;
    }

    abstract void write(Request r, byte stage, long time) throws IOException;

    /** Ends the open envelope (if any) before a file is rolled or closed. */
    void endBatch() throws IOException {
    }

    JsonGenerator generator() throws IOException {
        if (gen == null) {
            gen = newGenerator(files.next());
        }
        return gen;
    }

    static JsonGenerator newGenerator(java.io.OutputStream out) throws IOException {
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
        g.setRootValueSeparator(null);
        return g;
    }

    /** Bookkeeping after an audit event record: counts, attack tracking. */
    void counted(Request r, byte stage, long time, boolean kept) {
        count++;
        inFile++;
        if (first == Long.MAX_VALUE) {
            first = time;
        }
        last = time;
        if (r.attack != null) {
            r.attack.written(r, time, kept);
        }
    }

    /** Tracks a written record of an attack that is not itself an audit event record. */
    void uncounted(Request r, long time) {
        if (r.attack != null) {
            r.attack.written(r, time, false);
        }
    }

    /** Rolls to a new file when this one is full; call at record boundaries only. */
    void maybeRoll() throws IOException {
        if (inFile >= files.eventsPerFile) {
            endBatch();
            gen.close();
            gen = null;
            files.closeCurrent();
            inFile = 0;
        }
    }

    @Override
    public void close() throws IOException {
        if (gen != null) {
            endBatch();
            gen.close();
            gen = null;
        }
        files.close();
    }

    /** A reusable in-memory buffer for an inner event serialized as a string (AKS, EKS). */
    static final class Scratch extends ByteArrayOutputStream {
        Scratch() {
            super(8192);
        }

        byte[] array() {
            return buf;
        }
    }
}
