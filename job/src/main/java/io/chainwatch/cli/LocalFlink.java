package io.chainwatch.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Settings for the embedded Flink that {@code java -jar} starts (a submitted job gets its cluster's instead).
 * Measured with {@code chainwatch bench} (docs/performance.md): shuffle data stays on the local machine, so
 * compressing it costs CPU and saves nothing, and BATCH mode sorts every keyed input in managed memory,
 * which spills to disk when the default share is small.
 */
final class LocalFlink {

    private LocalFlink() {}

    static Configuration configuration() {
        Configuration c = new Configuration();
        c.set(NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC, NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        long heap = Runtime.getRuntime().maxMemory();
        long managed = Math.max(128L << 20, Math.min(2L << 30, heap / 2));
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, new MemorySize(managed));
        // Every sequence pattern is its own keyed CEP operator, each needing network buffers for its input
        // channels; Flink's default (64 MiB) runs out at a few hundred patterns.
        // (a local TaskManager needs one fixed size).
        c.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("384m"));
        c.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("384m"));
        // Streaming runs checkpoint; the default storage keeps checkpoints in the JobManager's memory, capped
        // at a few MB, which the keyed state of a large cluster (many principals) outgrows. Local files instead.
        c.setString("execution.checkpointing.storage", "filesystem");
        c.setString("execution.checkpointing.dir", java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "chainwatch-checkpoints").toUri().toString());
        return c;
    }
}
