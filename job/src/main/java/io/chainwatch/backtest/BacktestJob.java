package io.chainwatch.backtest;

import io.chainwatch.alert.Alert;
import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pipeline.Counters;
import io.chainwatch.pipeline.DetectionPipeline;
import io.chainwatch.pipeline.PipelineOptions;
import org.apache.avro.Schema;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

/**
 * A backtest: the Parquet history, read column-pruned, through the very operators of the live job
 * ({@link DetectionPipeline#detect}) in Flink BATCH mode, where each key is sorted by event time.
 */
public final class BacktestJob {

    /** Baseline patterns run beside the new ones under this id prefix. */
    public static final String BASELINE_PREFIX = "baseline/";

    private BacktestJob() {}

    public static JobExecutionResult run(StreamExecutionEnvironment env, List<java.nio.file.Path> files,
                                         List<PatternDefinition> patterns, PipelineOptions options,
                                         Sink<Alert> alerts, Sink<DeadLetter> deadLetters) throws Exception {
        build(env, files, patterns, options, alerts, deadLetters);
        return env.execute("chainwatch backtest");
    }

    /** Starts the backtest without waiting, so that a caller can follow its progress. */
    public static org.apache.flink.core.execution.JobClient start(StreamExecutionEnvironment env, List<java.nio.file.Path> files,
                                                                   List<PatternDefinition> patterns, PipelineOptions options,
                                                                   Sink<Alert> alerts, Sink<DeadLetter> deadLetters) throws Exception {
        build(env, files, patterns, options, alerts, deadLetters);
        return env.executeAsync("chainwatch backtest");
    }

    private static void build(StreamExecutionEnvironment env, List<java.nio.file.Path> files,
                              List<PatternDefinition> patterns, PipelineOptions options,
                              Sink<Alert> alerts, Sink<DeadLetter> deadLetters) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        if (options.parallelism > 0) {
            env.setParallelism(options.parallelism);
        }
        // Only the columns the patterns (and alerts) read are decoded.
        Schema projection = HistoryColumns.projection(HistoryColumns.needed(patterns));
        FileSource<AuditEvent> source = FileSource.forRecordStreamFormat(new io.chainwatch.history.HistoryParquetFormat(projection),
                files.stream().map(f -> new Path(f.toUri())).toArray(Path[]::new)).build();
        DataStream<AuditEvent> events = env.fromSource(source, WatermarkStrategy.noWatermarks(), "parquet history")
                .uid("source-history")
                .map(new Scanned()).returns(AuditEvent.class).name("count scanned rows");
        DetectionPipeline.Outputs out = DetectionPipeline.detect(DetectionPipeline.withEventTime(events, options), patterns, options);
        out.alerts.sinkTo(alerts).setParallelism(1).uid("alerts-sink-0").name("alerts");
        out.deadLetters.sinkTo(deadLetters).setParallelism(1).uid("dead-letter-sink").name("dead letters");
    }

    /** Counts the history rows scanned. */
    static final class Scanned extends RichMapFunction<AuditEvent, AuditEvent> {
        private static final long serialVersionUID = 1L;
        private transient Counters counters;

        @Override
        public void open(OpenContext openContext) {
            counters = new Counters(getRuntimeContext());
        }

        @Override
        public AuditEvent map(AuditEvent event) {
            counters.inc("backtest.events");
            return event;
        }
    }
}
