package io.chainwatch.pipeline;

import org.apache.flink.api.common.RuntimeExecutionMode;

import java.io.Serializable;
import java.time.Duration;

/** Tunables of the detection pipeline, shared by every entry point (CLI, tests, pattern test runner). */
public final class PipelineOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The only input envelope accepted, or null to detect it per document (auto). */
    public io.chainwatch.ingest.SourceFormat format;
    /** Take the cluster name from each file's parent directory when the envelope names none. */
    public boolean clusterFromPath;
    /** Cluster name for events whose source does not name one. */
    public String defaultCluster = "default";
    /** How far behind the newest event an event may arrive and still be evaluated (STREAMING). */
    public Duration maxOutOfOrderness = Duration.ofMinutes(5);
    /** How long an auditID is remembered to drop its redeliveries, in event time. */
    public Duration dedupHorizon = Duration.ofMinutes(15);
    /** Longest accepted line (event); longer ones are dead-lettered. */
    public int maxLineBytes = 16 * 1024 * 1024;
    /** Largest multi-line JSON document (EventList file) read whole. */
    public long maxDocumentBytes = 512L * 1024 * 1024;
    /** How much of a bad record the dead-letter output keeps. */
    public int maxDeadLetterText = 4096;
    /** BATCH sorts each key by event time (exact for files); STREAMING is the live path with watermarks. */
    public RuntimeExecutionMode runtimeMode = RuntimeExecutionMode.BATCH;
    /** Checkpoint interval in STREAMING mode (commits history files). */
    public Duration checkpointInterval = Duration.ofSeconds(10);
    /** Bounds on patterns and on the state their keyed functions keep per key. */
    public io.chainwatch.pattern.Limits limits = io.chainwatch.pattern.Limits.DEFAULT;
    /** Restarts of a bounded job before it fails with the cause. */
    public int restartAttempts = 2;
    /** Job parallelism; 0 = Flink's default. */
    public int parallelism = 0;

    public PipelineOptions() {}
}
