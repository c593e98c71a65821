package io.chainwatch.history;

import io.chainwatch.ingest.AuditEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;

/**
 * Writes {@link AuditEvent}s as Parquet rows of {@link HistorySchema}: ZSTD-compressed, standard 3-level
 * lists (so that DuckDB, Spark, pandas and pyarrow all read the same types).
 */
public final class HistoryWriterFactory implements BulkWriter.Factory<AuditEvent> {

    private static final long serialVersionUID = 1L;

    private final ParquetWriterFactory<GenericRecord> parquet;

    public HistoryWriterFactory() {
        String schemaJson = HistorySchema.SCHEMA.toString();
        this.parquet = new ParquetWriterFactory<>(out -> {
            Configuration conf = new Configuration(false);
            conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
            return AvroParquetWriter.<GenericRecord>builder(out)
                    .withSchema(new Schema.Parser().parse(schemaJson))
                    .withDataModel(GenericData.get())
                    .withConf(conf)
                    .withCompressionCodec(CompressionCodecName.ZSTD)
                    .build();
        });
    }

    @Override
    public BulkWriter<AuditEvent> create(FSDataOutputStream out) throws IOException {
        BulkWriter<GenericRecord> writer = parquet.create(out);
        Schema schema = HistorySchema.SCHEMA;
        return new BulkWriter<>() {
            @Override
            public void addElement(AuditEvent element) throws IOException {
                writer.addElement(HistoryRecords.toRecord(element, schema));
            }

            @Override
            public void flush() throws IOException {
                writer.flush();
            }

            @Override
            public void finish() throws IOException {
                writer.finish();
            }
        };
    }
}
