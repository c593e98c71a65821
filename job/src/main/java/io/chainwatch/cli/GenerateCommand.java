package io.chainwatch.cli;

import io.chainwatch.generate.Generator;
import io.chainwatch.generate.OutputFormat;
import io.chainwatch.generate.Scenarios;
import io.chainwatch.pattern.Durations;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code chainwatch generate}: synthetic audit logs with labelled attack sequences (docs/generator.md). */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write synthetic Kubernetes audit logs: realistic background traffic of K clusters with attack "
                + "sequences injected, files <out>/<cluster>/audit-<nnnn>.log[.gz] sorted by time, and "
                + "<out>/labels.json with the auditIDs each pattern must report. The same arguments give "
                + "byte-identical output. Model and rates: docs/generator.md."})
public final class GenerateCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Size size;

    static final class Size {
        @Option(names = "--events", paramLabel = "N", required = true,
                description = "Number of events in all (split evenly over the clusters).")
        Long events;

        @Option(names = "--duration", paramLabel = "D", required = true,
                description = "Simulated time per cluster (e.g. 24h, 7d); the event count follows from the rates.")
        String duration;
    }

    @Option(names = "--clusters", defaultValue = "1", paramLabel = "K", description = "Clusters (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--nodes", defaultValue = "5", paramLabel = "N", description = "Nodes per cluster (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenarios", defaultValue = "all", paramLabel = "LIST",
            description = "all, none, or a comma-separated list of scenario names: one per multi-step pattern, listed in docs/generator.md and by an unknown name's error (default: ${DEFAULT-VALUE}).")
    String scenarios;

    @Option(names = "--attacks", paramLabel = "N",
            description = "Attack instances in all, round-robin over the scenarios, then the clusters (default: one per scenario per cluster).")
    Integer attacks;

    @Option(names = "--format", defaultValue = "ndjson", paramLabel = "FORMAT",
            description = "ndjson (audit.k8s.io/v1 Events), aks (Event Hubs records), eks (CloudWatch subscription payloads) or gke (Cloud Logging entries). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--gzip", description = "Compress the files (.log.gz).")
    boolean gzip;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--start", defaultValue = "2026-11-01T00:00:00Z", paramLabel = "TIME",
            description = "Start of the simulated time, RFC 3339 (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--events-per-file", defaultValue = "1000000", paramLabel = "N",
            description = "Roll to a new file after this many events (default: ${DEFAULT-VALUE}).")
    long eventsPerFile;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Clusters generated at the same time (default: one per core; the output does not depend on it).")
    int threads;

    @Option(names = "--principals", defaultValue = "0", paramLabel = "N",
            description = "Add N low-rate tenant principals per cluster (3/4 service accounts, 1/4 kubectl users), "
                    + "to load keyed state with many distinct keys (default: ${DEFAULT-VALUE}).")
    int principals;

    @Option(names = "--principal-rate", defaultValue = "20", paramLabel = "R",
            description = "Requests per second of all --principals together, per cluster (default: ${DEFAULT-VALUE}).")
    double principalRate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Generator.Config c = new Generator.Config();
        try {
            if (size.events != null) {
                if (size.events < 1) {
                    throw new IllegalArgumentException("--events must be at least 1");
                }
                c.events = size.events;
            } else {
                c.duration = Durations.parse(size.duration);
            }
            c.format = OutputFormat.of(format);
            c.scenarios = Scenarios.select(scenarios);
            try {
                c.start = Instant.parse(start);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--start must be an RFC 3339 time such as 2026-11-01T00:00:00Z, not '" + start + "'");
            }
            if (attacks != null && attacks < 0) {
                throw new IllegalArgumentException("--attacks must not be negative");
            }
            if (principals < 0 || principalRate <= 0) {
                throw new IllegalArgumentException("--principals must not be negative and --principal-rate must be positive");
            }
            if (clusters < 1 || nodes < 1 || eventsPerFile < 1) {
                throw new IllegalArgumentException("--clusters, --nodes and --events-per-file must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            err.println("chainwatch generate: " + e.getMessage());
            return 2;
        }
        c.clusters = clusters;
        c.nodes = nodes;
        c.seed = seed;
        c.attacks = attacks;
        c.gzip = gzip;
        c.out = this.out;
        c.eventsPerFile = eventsPerFile;
        c.threads = threads;
        c.principals = principals;
        c.principalRate = principalRate;

        AtomicLong progress = new AtomicLong();
        Thread ticker = null;
        if (System.console() != null) {
            long t0 = System.nanoTime();
            ticker = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1000);
                        long n = progress.get();
                        double s = (System.nanoTime() - t0) / 1e9;
                        String target = c.events > 0 ? String.format(Locale.ROOT, " of %,d (%.0f%%)", c.events, 100.0 * n / c.events) : "";
                        System.err.printf(Locale.ROOT, "\r  %,d events%s, %,.0f events/s   ", n, target, n / s);
                        System.err.flush();
                    }
                } catch (InterruptedException ignored) {
                    // done
                }
            }, "generate-progress");
            ticker.setDaemon(true);
            ticker.start();
        }
        Generator.Result r;
        try {
            r = new Generator().run(c, progress);
        } finally {
            if (ticker != null) {
                ticker.interrupt();
                ticker.join();
                System.err.print("\r" + " ".repeat(70) + "\r");
                System.err.flush();
            }
        }
        out.print(summary(c, r));
        out.flush();
        return 0;
    }

    static String summary(Generator.Config c, Generator.Result r) {
        StringBuilder sb = new StringBuilder();
        String span = r.events == 0 ? "" : ", " + iso(r.firstMicros) + " .. " + iso(r.lastMicros);
        sb.append(String.format(Locale.ROOT, "events written  %,d (%s, %d cluster%s: %s%s)%n", r.events, c.format.keyword,
                c.clusters, c.clusters == 1 ? "" : "s", String.join(", ", r.clusters), span));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : r.attacksByScenario.entrySet()) {
            parts.add(e.getKey() + " " + e.getValue());
        }
        sb.append(String.format(Locale.ROOT, "attacks         %d%s -> %s%n", r.attacks,
                parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")", r.labels));
        if (r.incomplete > 0) {
            sb.append(String.format(Locale.ROOT, "                %d more cut off by the end of the run (not labelled)%n", r.incomplete));
        }
        for (Map.Entry<String, Integer> e : r.unplaced.entrySet()) {
            sb.append(String.format(Locale.ROOT, "                %s: %d instance%s not set up: nothing left to attack in the cluster (not labelled)%n",
                    e.getKey(), e.getValue(), e.getValue() == 1 ? "" : "s"));
        }
        for (Map.Entry<String, Integer> e : r.unsupported.entrySet()) {
            sb.append(String.format(Locale.ROOT, "                %s: %d instance%s skipped: %s%n", e.getKey(), e.getValue(),
                    e.getValue() == 1 ? "" : "s", Scenarios.select(e.getKey()).get(0).unsupportedReason(c.format)));
        }
        sb.append(String.format(Locale.ROOT, "bytes           %,d in %d file%s (%.0f per event)%n", r.diskBytes, r.files.size(),
                r.files.size() == 1 ? "" : "s", r.events == 0 ? 0.0 : (double) r.diskBytes / r.events));
        if (c.gzip) {
            sb.append(String.format(Locale.ROOT, "                %,d before gzip (%.0f per event, ratio %.1f)%n", r.rawBytes,
                    r.events == 0 ? 0.0 : (double) r.rawBytes / r.events, r.diskBytes == 0 ? 0.0 : (double) r.rawBytes / r.diskBytes));
        }
        sb.append(String.format(Locale.ROOT, "elapsed         %.1f s, %,.0f events/s (%,.0f per CPU-second)%n",
                r.elapsed.toMillis() / 1000.0, r.eventsPerSecond(), r.eventsPerCpuSecond()));
        sb.append(String.format(Locale.ROOT, "output          %s (detect --input %s/<cluster>...%s)%n",
                c.out.toAbsolutePath(), c.out.toAbsolutePath(), c.format == OutputFormat.NDJSON ? " --cluster-from-path" : ""));
        long horizon = (System.currentTimeMillis() + 24L * 3600 * 1000) * 1000L;
        if (r.events > 0 && r.lastMicros > horizon) {
            sb.append(String.format(Locale.ROOT, "note            events after %s are more than a day in the future: chainwatch "
                    + "detect dead-letters them; use an earlier --start%n", iso(horizon)));
        }
        return sb.toString();
    }

    private static String iso(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)).toString();
    }
}
