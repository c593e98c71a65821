package io.chainwatch.ingest;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FileNameOrderAssignerTest {

    private static FileSourceSplit split(String id, String path) {
        return new FileSourceSplit(id, new Path(path), 0, 100, 0, 100);
    }

    private static List<String> drain(FileNameOrderAssigner a) {
        List<String> out = new ArrayList<>();
        for (Optional<FileSourceSplit> s = a.getNext(null); s.isPresent(); s = a.getNext("host")) {
            out.add(s.get().path().toString());
        }
        return out;
    }

    @Test
    void handsOutFilesByNameThenPathSoThatClustersInterleaveOldestFirst() {
        FileNameOrderAssigner a = new FileNameOrderAssigner(List.of(
                split("1", "/logs/prod-b/audit-0001.log.gz"),
                split("2", "/logs/prod-a/audit-0001.log.gz"),
                split("3", "/logs/prod-b/audit-0000.log.gz"),
                split("4", "/logs/prod-a/audit-0000.log.gz")));
        assertThat(drain(a)).containsExactly(
                "/logs/prod-a/audit-0000.log.gz", "/logs/prod-b/audit-0000.log.gz",
                "/logs/prod-a/audit-0001.log.gz", "/logs/prod-b/audit-0001.log.gz");
    }

    @Test
    void theApiServersOwnRotationSortsTheCurrentFileLast() {
        FileNameOrderAssigner a = new FileNameOrderAssigner(List.of(
                split("1", "/var/log/audit.log"),
                split("2", "/var/log/audit-2026-12-01T11-00-00.000.log"),
                split("3", "/var/log/audit-2026-12-01T10-00-00.000.log")));
        assertThat(drain(a)).containsExactly("/var/log/audit-2026-12-01T10-00-00.000.log",
                "/var/log/audit-2026-12-01T11-00-00.000.log", "/var/log/audit.log");
    }

    @Test
    void splitsAddedLaterAndRemainingSplitsKeepTheOrder() {
        FileNameOrderAssigner a = new FileNameOrderAssigner(List.of(split("1", "/l/audit-0002.log")));
        a.addSplits(List.of(split("2", "/l/audit-0000.log"), split("3", "/l/audit-0001.log")));
        assertThat(a.remainingSplits()).extracting(s -> s.path().getName())
                .containsExactly("audit-0000.log", "audit-0001.log", "audit-0002.log");
        // a checkpoint restores the assigner from its remaining splits
        FileNameOrderAssigner restored = (FileNameOrderAssigner) FileNameOrderAssigner.provider().create(a.remainingSplits());
        assertThat(drain(restored)).containsExactly("/l/audit-0000.log", "/l/audit-0001.log", "/l/audit-0002.log");
    }
}
