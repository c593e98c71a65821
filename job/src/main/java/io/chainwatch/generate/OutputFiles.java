package io.chainwatch.generate;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The files of one cluster: {@code <out>/<cluster>/audit-0001.log[.gz]}, a new one every {@code eventsPerFile}
 * events (at a record boundary). Counts the bytes on disk and, for gzip, before compression.
 */
final class OutputFiles implements Closeable {
    private final Path dir;
    private final boolean gzip;
    final long eventsPerFile;
    private final List<Path> files = new ArrayList<>();
    private Counting raw;
    private Counting disk;
    private OutputStream stream;
    private long rawBytes;
    private long diskBytes;

    OutputFiles(Path dir, boolean gzip, long eventsPerFile) throws IOException {
        this.dir = dir;
        this.gzip = gzip;
        this.eventsPerFile = eventsPerFile;
        Files.createDirectories(dir);
    }

    /** Opens the next file; the returned stream is what the generator writes to. */
    OutputStream next() throws IOException {
        closeCurrent();
        Path file = dir.resolve(String.format("audit-%04d.log%s", files.size() + 1, gzip ? ".gz" : ""));
        files.add(file);
        disk = new Counting(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
        OutputStream top = disk;
        if (gzip) {
            top = new GZIPOutputStream(disk, 1 << 18) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
        }
        raw = new Counting(top);
        stream = raw;
        return stream;
    }

    void closeCurrent() throws IOException {
        if (stream != null) {
            stream.close();
            rawBytes += raw.count;
            diskBytes += disk.count;
            stream = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }

    List<Path> files() {
        return files;
    }

    long rawBytes() {
        return rawBytes + (stream == null ? 0 : raw.count);
    }

    long diskBytes() {
        return diskBytes + (stream == null ? 0 : disk.count);
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
