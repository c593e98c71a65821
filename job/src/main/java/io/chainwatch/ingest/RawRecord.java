package io.chainwatch.ingest;

/**
 * One unit read from an audit log source, before parsing: a line of NDJSON, a whole JSON document, or a
 * read failure at a position (a truncated gzip stream, an oversized line) that must still be accounted for.
 *
 * <p>Flink POJO. {@code bytes} is UTF-8 as read; decoding is the parser's job so that invalid UTF-8 is
 * reported, not silently replaced.
 */
public class RawRecord {
    /** File path or stream name. */
    public String source;
    /** 1-based line number (or record number for non-line sources). */
    public long position;
    public byte[] bytes;
    /** Set when the reader could not produce the record; {@code bytes} then holds what was read, if anything. */
    public String readError;
    /** Cluster name assigned by the source, or null to use the job's default. */
    public String cluster;

    public RawRecord() {}

    public static RawRecord of(String source, long position, byte[] bytes) {
        RawRecord r = new RawRecord();
        r.source = source;
        r.position = position;
        r.bytes = bytes;
        return r;
    }

    public static RawRecord failure(String source, long position, String error, byte[] partial) {
        RawRecord r = of(source, position, partial);
        r.readError = error;
        return r;
    }
}
