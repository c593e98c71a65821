package io.chainwatch.ingest;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Hands out audit log files in the order of their names, then their paths: a reader asks for one file at a
 * time, so a streaming replay reads each cluster's rotated files oldest first and the clusters side by side.
 *
 * <p>Flink's default assigners give no order (the simple one is last-in, first-out), which in streaming mode
 * turns a replay of several files into mostly late events: the watermark jumps to the newest file's time and
 * every older file read after it is behind it. Rotated audit logs are named so that names sort by time
 * ({@code audit-NNNN.log} here; {@code audit-2026-12-01T10-00-00.000.log} next to {@code audit.log} from the
 * API server's own rotation), and sorting by name before path interleaves clusters kept in separate
 * directories. In BATCH mode the order does not matter: events are sorted by time per key.
 */
public final class FileNameOrderAssigner implements FileSplitAssigner {

    /** Name, then full path, then offset within the file. */
    static final Comparator<FileSourceSplit> ORDER = Comparator
            .comparing((FileSourceSplit s) -> s.path().getName())
            .thenComparing(s -> s.path().toString())
            .thenComparingLong(FileSourceSplit::offset)
            .thenComparing(FileSourceSplit::splitId);

    private final TreeSet<FileSourceSplit> splits = new TreeSet<>(ORDER);

    public FileNameOrderAssigner(Collection<FileSourceSplit> splits) {
        this.splits.addAll(splits);
    }

    /** The provider for {@code FileSource.Builder#setSplitAssigner}. */
    public static FileSplitAssigner.Provider provider() {
        return FileNameOrderAssigner::new;
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.pollFirst());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        splits.addAll(newSplits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(splits);
    }

    @Override
    public String toString() {
        return "FileNameOrderAssigner " + splits;
    }
}
