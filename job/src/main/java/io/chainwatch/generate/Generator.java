package io.chainwatch.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code chainwatch generate}: synthetic audit logs of K clusters with attack instances injected, and their
 * labels. Each cluster is an independent simulation (its own thread, its own random streams), so the output
 * is byte-identical for the same arguments however many cores run it.
 */
public final class Generator {

    /** What to generate (the CLI's options). */
    public static final class Config {
        /** Number of events in all (split evenly over the clusters), or 0 to run for {@link #duration}. */
        public long events;
        public Duration duration;
        public int clusters = 1;
        public int nodes = 5;
        public long seed = 1;
        public List<Scenario> scenarios = Scenarios.ALL;
        /** Attack instances in all; null = one per scenario per cluster. */
        public Integer attacks;
        public OutputFormat format = OutputFormat.NDJSON;
        public boolean gzip;
        public Path out;
        public Instant start = Instant.parse("2026-11-01T00:00:00Z");
        public long eventsPerFile = 1_000_000;
        /** Clusters simulated at the same time; 0 = one per core. */
        public int threads;
        /** Extra low-rate principals per cluster (tenants, for state-growth runs); 0 = none. */
        public int principals;
        /** Requests per second of all those principals together, per cluster. */
        public double principalRate = 20;
    }

    /** What was written. */
    public static final class Result {
        public long events;
        public long rawBytes;
        public long diskBytes;
        public final List<Path> files = new ArrayList<>();
        public final Map<String, Integer> attacksByScenario = new LinkedHashMap<>();
        public int attacks;
        /** Instances cut off by the end of the run (not labelled). */
        public int incomplete;
        /** Instances that found nothing to attack in their cluster (no free app left, say), by scenario; not labelled. */
        public final Map<String, Integer> unplaced = new LinkedHashMap<>();
        /** Instances the format cannot express (token-theft on gke), not generated. */
        public final Map<String, Integer> unsupported = new LinkedHashMap<>();
        public long firstMicros = Long.MAX_VALUE;
        public long lastMicros = Long.MIN_VALUE;
        public Duration elapsed;
        /** CPU time of the threads that simulated and wrote the clusters. */
        public long cpuNanos;
        public Path labels;
        public final List<String> clusters = new ArrayList<>();

        /** Events per CPU-second of generation (one core's rate, whatever else the machine does). */
        public double eventsPerCpuSecond() {
            return cpuNanos <= 0 ? 0 : events / (cpuNanos / 1e9);
        }

        public double eventsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : events / s;
        }
    }

    /** One attack instance before the simulation: where, when, who. */
    static final class Plan {
        final int index;
        final Scenario scenario;
        final int cluster;
        final String ip;
        final String login;
        final String domain;
        final long seed;
        /** Duration runs: when. Event-count runs: after how many events of the cluster. */
        long at;
        long afterEvents;

        Plan(int index, Scenario scenario, int cluster, String ip, String login, String domain, long seed) {
            this.index = index;
            this.scenario = scenario;
            this.cluster = cluster;
            this.ip = ip;
            this.login = login;
            this.domain = domain;
            this.seed = seed;
        }
    }

    public Result run(Config c, AtomicLong progress) throws IOException {
        long t0 = System.nanoTime();
        if (c.events <= 0 && (c.duration == null || c.duration.isZero() || c.duration.isNegative())) {
            throw new IllegalArgumentException("give --events N or --duration D");
        }
        if (c.clusters < 1 || c.nodes < 1) {
            throw new IllegalArgumentException("--clusters and --nodes must be at least 1");
        }
        Files.createDirectories(c.out);
        long start = c.start.getEpochSecond() * Times.SECOND + c.start.getNano() / 1000;
        long end = c.events > 0 ? Long.MAX_VALUE : start + c.duration.toNanos() / 1000;
        List<String> names = ClusterProfile.clusterNames(c.clusters);
        List<ClusterProfile.Human> humans = ClusterProfile.humans(c.seed);

        // plan the attacks: round-robin over scenarios, then clusters
        Result result = new Result();
        result.clusters.addAll(names);
        List<List<Plan>> plans = new ArrayList<>();
        for (int k = 0; k < c.clusters; k++) {
            plans.add(new ArrayList<>());
        }
        int total = c.scenarios.isEmpty() ? 0 : c.attacks != null ? c.attacks : c.scenarios.size() * c.clusters;
        Rng planner = new Rng(c.seed).child("attacks");
        Set<String> logins = new HashSet<>();
        for (int i = 0; i < total; i++) {
            Scenario sc = c.scenarios.get(i % c.scenarios.size());
            int cluster = (i / c.scenarios.size()) % c.clusters;
            String login = ScenarioContext.freshLogin(planner, logins);
            String domain = ScenarioContext.DOMAINS[planner.nextInt(ScenarioContext.DOMAINS.length)];
            Plan plan = new Plan(i, sc, cluster, ScenarioContext.attackerIP(i), login, domain, planner.nextLong());
            double when = 0.02 + planner.nextDouble() * 0.58;
            if (c.events > 0) {
                long quota = quota(c.events, c.clusters, cluster);
                plan.afterEvents = (long) (quota * when);
            } else {
                long span = end - start;
                long latest = Math.max(start, end - 40 * Times.MINUTE);
                plan.at = Math.min(latest, start + (long) (span * when));
            }
            if (!sc.supports(c.format)) {
                result.unsupported.merge(sc.name(), 1, Integer::sum);
                continue;
            }
            plans.get(cluster).add(plan);
        }

        int threads = c.threads > 0 ? c.threads : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, c.clusters)), r -> {
            Thread th = new Thread(r, "generate");
            th.setDaemon(true);
            return th;
        });
        List<Future<ClusterRun>> futures = new ArrayList<>();
        for (int k = 0; k < c.clusters; k++) {
            int index = k;
            futures.add(pool.submit(() -> runCluster(c, names.get(index), index, humans, plans.get(index), start, end,
                    progress)));
        }
        List<AttackInstance> labelled = new ArrayList<>();
        try {
            for (Future<ClusterRun> f : futures) {
                ClusterRun run = f.get();
                result.events += run.events;
                result.rawBytes += run.rawBytes;
                result.diskBytes += run.diskBytes;
                result.cpuNanos += run.cpuNanos;
                result.files.addAll(run.files);
                result.firstMicros = Math.min(result.firstMicros, run.firstMicros);
                result.lastMicros = Math.max(result.lastMicros, run.lastMicros);
                for (AttackInstance a : run.attacks) {
                    if (a.complete()) {
                        labelled.add(a);
                    } else if (!a.placed()) {
                        result.unplaced.merge(a.scenario, 1, Integer::sum);
                    } else {
                        result.incomplete++;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
        }
        labelled.sort(Comparator.comparingLong((AttackInstance a) -> a.firstWritten).thenComparing(a -> a.cluster));
        for (Scenario sc : c.scenarios) {
            result.attacksByScenario.put(sc.name(), 0);
        }
        for (AttackInstance a : labelled) {
            result.attacksByScenario.merge(a.scenario, 1, Integer::sum);
        }
        result.attacks = labelled.size();
        result.labels = c.out.resolve("labels.json");
        LabelsWriter.write(result.labels, labelled);
        result.elapsed = Duration.ofNanos(System.nanoTime() - t0);
        return result;
    }

    static long quota(long events, int clusters, int index) {
        return events / clusters + (index < events % clusters ? 1 : 0);
    }

    private static final class ClusterRun {
        long events;
        long rawBytes;
        long diskBytes;
        List<Path> files;
        List<AttackInstance> attacks;
        long firstMicros = Long.MAX_VALUE;
        long lastMicros = Long.MIN_VALUE;
        long cpuNanos;
    }

    private static ClusterRun runCluster(Config c, String name, int index, List<ClusterProfile.Human> humans,
                                         List<Plan> plans, long start, long end, AtomicLong progress) throws IOException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        ClusterProfile profile = new ClusterProfile(name, index, c.format, c.seed, c.nodes, humans);
        ClusterState state = new ClusterState(profile);
        OutputFiles files = new OutputFiles(c.out.resolve(name), c.gzip, c.eventsPerFile);
        ClusterRun run = new ClusterRun();
        try (FormatWriter writer = FormatWriter.create(c.format, profile, files, new Rng(profile.seed).child("envelope"))) {
            ClusterSim sim = new ClusterSim(profile, state, writer, progress);
            Background.install(sim, start);
            Tenants.install(sim, new Rng(profile.seed).child("tenants"), start, c.principals, c.principalRate);
            List<ClusterSim.Trigger> triggers = new ArrayList<>();
            for (Plan plan : plans) {
                AttackInstance instance = new AttackInstance(plan.scenario.name(), plan.scenario.patternId(), name, plan.ip);
                ScenarioContext ctx = new ScenarioContext(sim, new Rng(plan.seed), instance, plan.ip, plan.login,
                        plan.domain);
                plan.scenario.prepare(ctx);
                sim.addAttack(instance);
                Actor actor = Actor.once("attack/" + plan.index, new Rng(plan.seed).child("time"),
                        plan.at, (s, t, r) -> plan.scenario.inject(ctx, t));
                if (c.events > 0) {
                    triggers.add(new ClusterSim.Trigger(plan.afterEvents, actor));
                } else {
                    sim.add(actor);
                }
            }
            triggers.sort(Comparator.comparingLong(tr -> tr.atCount));
            long quota = c.events > 0 ? quota(c.events, c.clusters, index) : Long.MAX_VALUE;
            sim.run(end, quota, triggers);
            run.events = writer.events();
            run.attacks = sim.attacks();
            run.firstMicros = writer.first;
            run.lastMicros = writer.last;
        }
        run.rawBytes = files.rawBytes();
        run.diskBytes = files.diskBytes();
        run.files = files.files();
        run.cpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
        return run;
    }
}
