package io.chainwatch.backtest;

import io.chainwatch.alert.Alert;
import io.chainwatch.alert.AlertEvidence;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Backtest alerts as Parquet (the alert schema's fields as columns, evidence as a list of records), for notebooks. */
public final class AlertParquet {

    static final Schema EVIDENCE = SchemaBuilder.record("Evidence").namespace("io.chainwatch.backtest").fields()
            .name("step").type().nullable().stringType().noDefault()
            .name("auditID").type().nullable().stringType().noDefault()
            .name("time").type().nullable().stringType().noDefault()
            .name("verb").type().nullable().stringType().noDefault()
            .name("user").type().nullable().stringType().noDefault()
            .name("sourceIP").type().nullable().stringType().noDefault()
            .name("userAgent").type().nullable().stringType().noDefault()
            .name("resource").type().nullable().stringType().noDefault()
            .name("subresource").type().nullable().stringType().noDefault()
            .name("namespace").type().nullable().stringType().noDefault()
            .name("name").type().nullable().stringType().noDefault()
            .name("responseCode").type().nullable().intType().noDefault()
            .endRecord();

    static final Schema SCHEMA = SchemaBuilder.record("Alert").namespace("io.chainwatch.backtest").fields()
            .name("schemaVersion").type().stringType().noDefault()
            .name("alertId").type().stringType().noDefault()
            .name("ruleId").type().stringType().noDefault()
            .name("title").type().nullable().stringType().noDefault()
            .name("severity").type().stringType().noDefault()
            .name("tactics").type().array().items().stringType().noDefault()
            .name("techniques").type().array().items().stringType().noDefault()
            .name("cluster").type().nullable().stringType().noDefault()
            .name("key").type().map().values().stringType().noDefault()
            .name("firstSeen").type().stringType().noDefault()
            .name("lastSeen").type().stringType().noDefault()
            .name("detectedAt").type().nullable().stringType().noDefault()
            .name("occurrences").type().intType().noDefault()
            .name("summary").type().nullable().stringType().noDefault()
            .name("evidence").type().array().items(EVIDENCE).noDefault()
            .endRecord();

    private AlertParquet() {}

    public static void write(Path file, List<Alert> alerts) throws IOException {
        Configuration conf = new Configuration(false);
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(SCHEMA).withDataModel(GenericData.get()).withConf(conf)
                .withCompressionCodec(CompressionCodecName.ZSTD).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (Alert a : alerts) {
                GenericData.Record r = new GenericData.Record(SCHEMA);
                r.put("schemaVersion", a.schemaVersion);
                r.put("alertId", a.alertId);
                r.put("ruleId", a.ruleId);
                r.put("title", a.title);
                r.put("severity", a.severity);
                r.put("tactics", a.mitre == null || a.mitre.tactics == null ? List.of() : a.mitre.tactics);
                r.put("techniques", a.mitre == null || a.mitre.techniques == null ? List.of() : a.mitre.techniques);
                r.put("cluster", a.cluster);
                r.put("key", a.key == null ? java.util.Map.of() : a.key);
                r.put("firstSeen", a.firstSeen);
                r.put("lastSeen", a.lastSeen);
                r.put("detectedAt", a.detectedAt);
                r.put("occurrences", a.occurrences);
                r.put("summary", a.summary);
                List<GenericRecord> ev = new ArrayList<>();
                for (AlertEvidence e : a.evidence) {
                    GenericData.Record x = new GenericData.Record(EVIDENCE);
                    x.put("step", e.step);
                    x.put("auditID", e.auditID);
                    x.put("time", e.time);
                    x.put("verb", e.verb);
                    x.put("user", e.user);
                    x.put("sourceIP", e.sourceIP);
                    x.put("userAgent", e.userAgent);
                    x.put("resource", e.resource);
                    x.put("subresource", e.subresource);
                    x.put("namespace", e.namespace);
                    x.put("name", e.name);
                    x.put("responseCode", e.responseCode);
                    ev.add(x);
                }
                r.put("evidence", ev);
                w.write(r);
            }
        }
    }
}
