package io.chainwatch.pipeline;

import io.chainwatch.alert.Alert;
import io.chainwatch.history.EventTimeBucketAssigner;
import io.chainwatch.history.HistoryWriterFactory;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditLogFormat;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.FileNameOrderAssigner;
import io.chainwatch.ingest.RawRecord;
import io.chainwatch.pattern.PatternDefinition;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A detection job with its source and sinks: audit log files in, alerts, dead letters and (optionally) the
 * Parquet history out. Sources and sinks are injected so that tests and later entry points (Kafka, backtest)
 * reuse the same wiring.
 */
public final class DetectJob {

    private final List<String> inputs;
    private final List<PatternDefinition> patterns;
    private final PipelineOptions options;
    private final List<Sink<Alert>> alertSinks = new ArrayList<>();
    private Sink<DeadLetter> deadLetterSink;
    private String historyDir;

    public DetectJob(List<String> inputs, List<PatternDefinition> patterns, PipelineOptions options) {
        this.inputs = List.copyOf(inputs);
        this.patterns = List.copyOf(patterns);
        this.options = options;
    }

    public DetectJob alertsTo(Sink<Alert> sink) {
        alertSinks.add(sink);
        return this;
    }

    public DetectJob deadLettersTo(Sink<DeadLetter> sink) {
        this.deadLetterSink = sink;
        return this;
    }

    public DetectJob historyTo(String dir) {
        this.historyDir = dir;
        return this;
    }

    /**
     * The bounded file source: every file under the inputs, NDJSON or JSON documents, plain or gzip, handed
     * out in file-name order so that a streaming replay reads rotated logs oldest first.
     */
    public static FileSource<RawRecord> fileSource(List<String> inputs, PipelineOptions options) {
        Path[] paths = inputs.stream().map(Path::new).toArray(Path[]::new);
        return FileSource.forBulkFileFormat(new AuditLogFormat(options.maxLineBytes, options.maxDocumentBytes, options.clusterFromPath), paths)
                .setSplitAssigner(FileNameOrderAssigner.provider())
                .build();
    }

    /** Adds the whole job to {@code env} without running it. */
    public void addTo(StreamExecutionEnvironment env) {
        env.setRuntimeMode(options.runtimeMode);
        if (options.parallelism > 0) {
            env.setParallelism(options.parallelism);
        }
        if (options.runtimeMode != org.apache.flink.api.common.RuntimeExecutionMode.BATCH) {
            env.enableCheckpointing(options.checkpointInterval.toMillis());
        }
        // A bounded run must end: with checkpointing on, Flink's default is to restart forever, which turns
        // any failure into a hang. A few quick retries, then fail with the cause.
        org.apache.flink.configuration.Configuration restart = new org.apache.flink.configuration.Configuration();
        restart.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, options.restartAttempts);
        restart.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofSeconds(1));
        env.configure(restart);
        DataStream<RawRecord> raw = env
                .fromSource(fileSource(inputs, options), WatermarkStrategy.noWatermarks(), "audit log files")
                .uid("source-files");
        DetectionPipeline.Outputs out = DetectionPipeline.build(raw, patterns, options);
        for (int i = 0; i < alertSinks.size(); i++) {
            out.alerts.sinkTo(alertSinks.get(i)).setParallelism(1).uid("alerts-sink-" + i).name("alerts " + i);
        }
        if (deadLetterSink != null) {
            out.deadLetters.sinkTo(deadLetterSink).setParallelism(1).uid("dead-letter-sink").name("dead letters");
        }
        if (historyDir != null) {
            out.events.sinkTo(historySink(historyDir)).uid("history-sink").name("parquet history");
        }
    }

    public static FileSink<AuditEvent> historySink(String dir) {
        return FileSink.forBulkFormat(new Path(dir), new HistoryWriterFactory())
                .withBucketAssigner(new EventTimeBucketAssigner())
                .withRollingPolicy(new io.chainwatch.history.HistoryRollingPolicy())
                .withBucketCheckInterval(5_000)
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
                .build();
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env, String jobName) throws Exception {
        addTo(env);
        return env.execute(jobName);
    }
}
