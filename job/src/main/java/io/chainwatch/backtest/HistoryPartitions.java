package io.chainwatch.backtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The Parquet files of a history directory whose {@code dt=} partition falls in a date range (inclusive). */
public final class HistoryPartitions {

    // java.util.regex: a fixed pattern over directory names we wrote ourselves.
    private static final Pattern DT = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})");

    public final List<Path> files;
    public final List<String> partitions;
    public final long bytes;

    private HistoryPartitions(List<Path> files, List<String> partitions, long bytes) {
        this.files = files;
        this.partitions = partitions;
        this.bytes = bytes;
    }

    public static HistoryPartitions select(Path history, LocalDate from, LocalDate to) throws IOException {
        if (!Files.isDirectory(history)) {
            throw new IOException("no history directory at " + history);
        }
        List<Path> files = new ArrayList<>();
        List<String> partitions = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> days = Files.list(history)) {
            for (Path day : days.sorted().collect(Collectors.toList())) {
                Matcher m = DT.matcher(day.getFileName().toString());
                if (!Files.isDirectory(day) || !m.matches()) {
                    continue;
                }
                LocalDate date = LocalDate.parse(m.group(1));
                if ((from != null && date.isBefore(from)) || (to != null && date.isAfter(to))) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(day)) {
                    for (Path f : walk.filter(p -> p.getFileName().toString().endsWith(".parquet")
                            && !p.getFileName().toString().startsWith(".")).sorted().collect(Collectors.toList())) {
                        files.add(f);
                        bytes += Files.size(f);
                        String part = history.relativize(f.getParent()).toString();
                        if (!partitions.contains(part)) {
                            partitions.add(part);
                        }
                    }
                }
            }
        }
        return new HistoryPartitions(files, partitions, bytes);
    }
}
