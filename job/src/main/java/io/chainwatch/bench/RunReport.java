package io.chainwatch.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainwatch.ingest.JsonSupport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a benchmark step's JVM reports about itself when {@code CHAINWATCH_RUN_REPORT=FILE} is set: wall time,
 * peak heap in use (sampled), the heap limit, peak resident memory (the kernel's high-water mark, VmHWM) and,
 * with {@code CHAINWATCH_LIVE_HEAP_EVERY_S=N}, the live heap every N seconds (after a full collection, so the
 * series shows what state holds rather than garbage; for state-growth runs, not for throughput runs).
 * Written as JSON when the command ends.
 */
public final class RunReport {

    public static final String ENV_FILE = "CHAINWATCH_RUN_REPORT";
    public static final String ENV_LIVE_HEAP = "CHAINWATCH_LIVE_HEAP_EVERY_S";

    private static final long SAMPLE_MS = 100;

    private final Path file;
    private final long liveEveryMs;
    private final long startNanos = System.nanoTime();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<long[]> liveSamples = new ArrayList<>();
    private volatile long peakHeapUsed;
    private final Thread sampler;

    private RunReport(Path file, long liveEveryMs) {
        this.file = file;
        this.liveEveryMs = liveEveryMs;
        this.sampler = new Thread(this::sample, "run-report-sampler");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    /** Starts sampling when the environment asks for a report; null otherwise. */
    public static RunReport startIfRequested() {
        String f = System.getenv(ENV_FILE);
        if (f == null || f.isBlank()) {
            return null;
        }
        String every = System.getenv(ENV_LIVE_HEAP);
        long ms = every == null || every.isBlank() ? 0 : (long) (Double.parseDouble(every) * 1000);
        return new RunReport(Path.of(f), ms);
    }

    private void sample() {
        long nextLive = liveEveryMs > 0 ? liveEveryMs : Long.MAX_VALUE;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(SAMPLE_MS);
                long used = memory.getHeapMemoryUsage().getUsed();
                if (used > peakHeapUsed) {
                    peakHeapUsed = used;
                }
                long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
                if (elapsed >= nextLive) {
                    System.gc();
                    synchronized (liveSamples) {
                        liveSamples.add(new long[] {elapsed, memory.getHeapMemoryUsage().getUsed()});
                    }
                    nextLive += liveEveryMs;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sampling and writes the report. */
    public void finish(int exitCode) {
        sampler.interrupt();
        try {
            sampler.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long used = memory.getHeapMemoryUsage().getUsed();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("exitCode", exitCode);
        root.put("wallMillis", (System.nanoTime() - startNanos) / 1_000_000);
        root.put("peakHeapUsedBytes", Math.max(peakHeapUsed, used));
        root.put("heapMaxBytes", memory.getHeapMemoryUsage().getMax());
        long hwm = peakResidentBytes();
        if (hwm > 0) {
            root.put("peakRssBytes", hwm);
        }
        ArrayNode live = root.putArray("liveHeap");
        synchronized (liveSamples) {
            for (long[] s : liveSamples) {
                live.addArray().add(s[0]).add(s[1]);
            }
        }
        try {
            Files.writeString(file, JsonSupport.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            System.err.println("chainwatch: cannot write the run report " + file + ": " + e.getMessage());
        }
    }

    /** VmHWM from /proc/self/status (Linux), or -1 where there is none. */
    static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
