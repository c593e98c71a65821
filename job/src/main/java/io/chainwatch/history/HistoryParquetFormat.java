package io.chainwatch.history;

import io.chainwatch.ingest.AuditEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;

/**
 * Reads history files back as {@link AuditEvent}s, asking Parquet for only the columns in {@code projection}
 * (parquet-avro's requested projection: columns not asked for are never decoded). Files are not split.
 */
public final class HistoryParquetFormat implements StreamFormat<AuditEvent> {

    private static final long serialVersionUID = 1L;

    private final String projectionJson;

    public HistoryParquetFormat(Schema projection) {
        this.projectionJson = projection.toString();
    }

    @Override
    public Reader<AuditEvent> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(false);
        Schema projection = new Schema.Parser().parse(projectionJson);
        // The projection is converted to a Parquet schema with the writer's list layout (3-level lists, see
        // HistoryWriterFactory); with the default 2-level one, lists nested in maps (user.extra) do not resolve.
        conf.setBoolean(org.apache.parquet.avro.AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        AvroReadSupport.setRequestedProjection(conf, projection);
        AvroReadSupport.setAvroReadSchema(conf, projection);
        ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new StreamInputFile(stream, fileLen))
                .withDataModel(GenericData.get()).withConf(conf).build();
        return new Reader<>() {
            @Override
            public AuditEvent read() throws IOException {
                GenericRecord r = reader.read();
                return r == null ? null : HistoryRecords.fromRecord(r);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    @Override
    public Reader<AuditEvent> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                                            long fileLen, long splitEnd) throws IOException {
        // Not splittable: the file source restores by re-reading and skipping the records already emitted.
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<AuditEvent> getProducedType() {
        return TypeInformation.of(AuditEvent.class);
    }

    /** Parquet's view of a Flink input stream: random access over the stream's seek. */
    private static final class StreamInputFile implements InputFile {
        private final FSDataInputStream in;
        private final long length;

        StreamInputFile(FSDataInputStream in, long length) {
            this.in = in;
            this.length = length;
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public SeekableInputStream newStream() {
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }
}
