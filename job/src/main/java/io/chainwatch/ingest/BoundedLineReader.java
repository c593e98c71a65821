package io.chainwatch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines as raw bytes with a hard cap on line length, so that a hostile 2 GB line costs a bounded
 * amount of memory: the part beyond the cap is skipped and the line is reported as oversized.
 * Line terminators ({@code \n}, {@code \r\n}) are stripped. Not thread-safe.
 */
public final class BoundedLineReader {

    /** A line as read. {@code oversized} lines hold only their first {@code maxLineBytes} bytes. */
    public static final class Line {
        public final byte[] bytes;
        public final boolean oversized;
        public final long length;

        Line(byte[] bytes, boolean oversized, long length) {
            this.bytes = bytes;
            this.oversized = oversized;
            this.length = length;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Returns the next line, or null at the end of the stream. */
    public Line readLine() throws IOException {
        int len = 0;
        long total = 0;
        boolean sawAny = false;
        while (true) {
            if (pos >= limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAny) {
                        return null;
                    }
                    return finish(len, total);
                }
            }
            sawAny = true;
            int start = pos;
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (buffer[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl >= 0 ? nl : limit;
            int chunk = end - start;
            total += chunk;
            int room = maxLineBytes - len;
            if (room > 0) {
                int copy = Math.min(room, chunk);
                ensureCapacity(len + copy);
                System.arraycopy(buffer, start, line, len, copy);
                len += copy;
            }
            pos = nl >= 0 ? nl + 1 : limit;
            if (nl >= 0) {
                return finish(len, total);
            }
        }
    }

    /**
     * Copies everything not yet read (buffered or still in the stream) to {@code out}, up to {@code limit}
     * {@code maxBytes} bytes in all; returns false when it is longer than that.
     */
    public boolean readRemaining(java.io.ByteArrayOutputStream out, long maxBytes) throws IOException {
        if (pos < limit) {
            int n = limit - pos;
            out.write(buffer, pos, n);
            pos = limit;
        }
        if (out.size() > maxBytes) {
            return false;
        }
        byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = in.read(chunk)) > 0) {
            if (out.size() + (long) n > maxBytes) {
                return false;
            }
            out.write(chunk, 0, n);
        }
        return true;
    }

    private Line finish(int len, long total) {
        boolean oversized = total > maxLineBytes;
        if (!oversized && len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return new Line(Arrays.copyOf(line, len), oversized, total);
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(maxLineBytes, line.length * 2)));
        }
    }
}
