package io.chainwatch.pipeline;

import io.chainwatch.history.HistoryRecords;
import io.chainwatch.ingest.AuditEvent;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a Parquet history directory back with parquet-avro, independently of Flink. */
public final class HistoryFiles {
    private HistoryFiles() {}

    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    public static List<AuditEvent> read(Path dir) throws IOException {
        List<AuditEvent> out = new ArrayList<>();
        for (Path f : files(dir)) {
            if (!f.getFileName().toString().endsWith(".parquet")) {
                continue;
            }
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f))
                    .withDataModel(GenericData.get()).withConf(new Configuration(false)).build()) {
                GenericRecord r;
                while ((r = reader.read()) != null) {
                    out.add(HistoryRecords.fromRecord(r));
                }
            }
        }
        return out;
    }
}
